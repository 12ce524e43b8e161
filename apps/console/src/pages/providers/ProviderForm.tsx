import { useState } from 'react';
import type { CreateProviderRequest } from '@tessera/contracts';
import type { GrantType, ProviderView } from '../../api/types';
import { Checkbox, Field, fieldErrors, FormError, SelectField, TextField } from '../../components/forms';
import { formatRecord, parseRecord } from '../../components/records';
import { useFormSubmit } from '../../components/useFormSubmit';
import { CallbackUrl } from './CallbackUrl';
import { fieldHint, SECTIONS, visibleFields, type ProviderField } from './provider-fields';

type Draft = Record<string, string | boolean>;

function draftFrom(provider?: ProviderView): Draft {
  const draft: Draft = { grantType: 'authorization_code', clientAuthMethod: 'client_secret_basic', expiresInUnit: 'seconds', pkce: true };
  if (!provider) return draft;
  for (const [key, value] of Object.entries(provider)) {
    if (value === null || value === undefined) continue;
    if (Array.isArray(value)) draft[key] = value.join(' ');
    else if (typeof value === 'object') draft[key] = formatRecord(value as Record<string, string>);
    else if (typeof value === 'boolean') draft[key] = value;
    else draft[key] = String(value);
  }
  return draft;
}

/**
 * Only the fields the chosen grant type uses are sent; blanks are left to the server's defaults. The body is built from
 * the form's field table (provider-fields.ts), so its type is the request's by assertion; the server validates it.
 */
function providerBody(draft: Draft, fields: ProviderField[]): CreateProviderRequest {
  const body: Record<string, unknown> = {};
  for (const field of fields) {
    const value = draft[field.name];
    if (field.kind === 'checkbox') {
      body[field.name] = Boolean(value);
      continue;
    }
    if (typeof value !== 'string' || value.trim() === '') continue;
    if (field.kind === 'number') body[field.name] = Number(value);
    else if (field.kind === 'list') body[field.name] = value.split(/\s+/).filter(Boolean);
    else if (field.kind === 'record') body[field.name] = parseRecord(value);
    else body[field.name] = field.name === 'scopeSeparator' ? value : value.trim();
  }
  return body as unknown as CreateProviderRequest;
}

export function ProviderForm({
  initial,
  onSubmit,
  onCancel,
}: {
  initial?: ProviderView;
  onSubmit(body: CreateProviderRequest): Promise<void>;
  onCancel(): void;
}) {
  const [draft, setDraft] = useState(() => draftFrom(initial));
  const fields = visibleFields(draft.grantType as GrantType);
  const set = (name: string, value: string | boolean) => setDraft((d) => ({ ...d, [name]: value }));
  const { submit, busy, error } = useFormSubmit(() => onSubmit(providerBody(draft, fields)));
  const control = (field: ProviderField) => {
    const value = draft[field.name];
    const errors = fieldErrors(error, field.name);
    const hint = fieldHint(field, Boolean(initial));
    const common = { label: field.label, hint, errors };
    switch (field.kind) {
      case 'checkbox':
        return <Checkbox key={field.name} label={field.label} hint={hint} checked={Boolean(value)} onChange={(e) => set(field.name, e.target.checked)} />;
      case 'select':
        return (
          <SelectField
            key={field.name}
            {...common}
            value={String(value ?? '')}
            onChange={(e) => set(field.name, e.target.value)}
            options={(field.options ?? []).map((o) => ({ value: o, label: o.replace(/_/g, ' ') }))}
          />
        );
      case 'record':
      case 'textarea':
        return (
          <Field key={field.name} label={field.label} hint={hint} errors={errors}>
            {(aria) => <textarea {...aria} rows={2} value={String(value ?? '')} onChange={(e) => set(field.name, e.target.value)} spellCheck={false} />}
          </Field>
        );
      default:
        return (
          <TextField
            key={field.name}
            {...common}
            type={field.kind === 'secret' ? 'password' : field.kind === 'number' ? 'number' : field.kind === 'url' ? 'url' : 'text'}
            autoComplete={field.kind === 'secret' ? 'new-password' : 'off'}
            value={String(value ?? '')}
            onChange={(e) => set(field.name, e.target.value)}
          />
        );
    }
  };
  return (
    <form className="panel" onSubmit={(e) => void submit(e)} noValidate aria-label={initial ? `Edit provider ${initial.name}` : 'New provider'}>
      <FormError error={error} shownFields={fields.map((f) => f.name)} />
      {draft.grantType === 'authorization_code' && <CallbackUrl />}
      {SECTIONS.map((section) => {
        const inSection = fields.filter((f) => f.section === section.key);
        return inSection.length ? (
          <fieldset key={section.key}>
            <legend>{section.title}</legend>
            <div className="grid-2">{inSection.map(control)}</div>
          </fieldset>
        ) : null;
      })}
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          {initial ? 'Save provider' : 'Create provider'}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
