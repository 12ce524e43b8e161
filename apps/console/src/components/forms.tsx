import { useEffect, useId, useState, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from 'react';
import { ApiError } from '../api/client';

/** Messages for one field from an API error (`fields`), matching `name` and nested keys such as `permissions[0]`. */
export function fieldErrors(error: unknown, name: string): string[] {
  if (!(error instanceof ApiError)) return [];
  return Object.entries(error.fields)
    .filter(([field]) => field === name || field.startsWith(`${name}.`) || field.startsWith(`${name}[`))
    .flatMap(([, messages]) => messages);
}

interface FieldProps {
  label: string;
  hint?: ReactNode;
  errors?: string[];
  children: (props: { id: string; 'aria-describedby'?: string; 'aria-invalid'?: boolean }) => ReactNode;
}

/**
 * A labelled control with its hint and errors announced to screen readers (aria-describedby, aria-invalid). The
 * server's message stops showing as soon as the field is edited: it was about the value sent, not the one now typed,
 * and the next submit says again whatever is still wrong.
 */
export function Field({ label, hint, errors: given = [], children }: FieldProps) {
  const id = useId();
  const key = given.join('\n');
  const [editedSince, setEditedSince] = useState<string>();
  useEffect(() => setEditedSince(undefined), [key]);
  const errors = editedSince === key ? [] : given;
  const described = [hint ? `${id}-hint` : '', errors.length ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div
      className="field"
      onChange={() => {
        if (given.length) setEditedSince(key);
      }}
    >
      <label htmlFor={id}>{label}</label>
      {children({ id, 'aria-describedby': described, 'aria-invalid': errors.length ? true : undefined })}
      {hint && (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {errors.length > 0 && (
        <ul className="field-errors" id={`${id}-error`} role="alert">
          {errors.map((message) => (
            <li key={message}>{message}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** A labelled input; `after` puts a control beside it (a "Generate" button) in one row. */
export function TextField({
  label,
  hint,
  errors,
  after,
  ...input
}: { label: string; hint?: ReactNode; errors?: string[]; after?: ReactNode } & InputHTMLAttributes<HTMLInputElement>) {
  return (
    <Field label={label} hint={hint} errors={errors}>
      {(aria) =>
        after ? (
          <div className="row">
            <input {...input} {...aria} />
            {after}
          </div>
        ) : (
          <input {...input} {...aria} />
        )
      }
    </Field>
  );
}

export function TextAreaField({
  label,
  hint,
  errors,
  ...textarea
}: { label: string; hint?: ReactNode; errors?: string[] } & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  return (
    <Field label={label} hint={hint} errors={errors}>
      {(aria) => <textarea {...textarea} {...aria} />}
    </Field>
  );
}

export function SelectField({
  label,
  hint,
  errors,
  options,
  ...select
}: { label: string; hint?: ReactNode; errors?: string[]; options: readonly { value: string; label: string }[] } & SelectHTMLAttributes<HTMLSelectElement>) {
  return (
    <Field label={label} hint={hint} errors={errors}>
      {(aria) => (
        <select {...select} {...aria}>
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

export function Checkbox({ label, hint, ...input }: { label: string; hint?: string } & InputHTMLAttributes<HTMLInputElement>) {
  const id = useId();
  return (
    <div className="field checkbox">
      <input type="checkbox" id={id} aria-describedby={hint ? `${id}-hint` : undefined} {...input} />
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
    </div>
  );
}

/** The error of a whole request (not tied to a field), or a field error whose field has no control on this form. */
export function FormError({ error, shownFields = [] }: { error: unknown; shownFields?: string[] }) {
  if (!error) return null;
  const message = error instanceof Error ? error.message : String(error);
  const others =
    error instanceof ApiError
      ? Object.entries(error.fields).filter(
          ([field]) => !shownFields.some((name) => field === name || field.startsWith(`${name}[`) || field.startsWith(`${name}.`)),
        )
      : [];
  return (
    <div className="form-error" role="alert">
      <p>{message}</p>
      {others.length > 0 && (
        <ul>
          {others.map(([field, messages]) => (
            <li key={field}>
              <code>{field}</code>: {messages.join('; ')}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
