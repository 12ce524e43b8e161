import { useState, type ChangeEvent, type FormEvent } from 'react';
import { fieldErrors } from './forms';

type Control = HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;

/**
 * The keys of a draft that can hold the text of an input, a textarea or a select: any string, or a union of strings
 * (a role, a grant type) whose select offers only those values.
 */
type TextKey<T> = { [K in keyof T]: string extends T[K] ? K : T[K] extends string ? K : never }[keyof T] & string;
/** The keys of a draft that can hold a checkbox's state. */
type FlagKey<T> = { [K in keyof T]: boolean extends T[K] ? K : never }[keyof T] & string;

/** What `bind` spreads onto a TextField, SelectField or TextAreaField. */
interface Bound {
  value: string;
  onChange(event: ChangeEvent<Control>): void;
  errors: string[];
}

/**
 * A form's draft, its submit and the API's answer to it, in one place. `bind('name')` gives a control its value, its
 * change handler and the server's messages for that field (`{ field: 'auth.username' }` when the request names it
 * otherwise, a list when several request fields land on one control); `check('enabled')` does the same for a checkbox.
 * Submitting keeps the page from reloading, marks the form busy and keeps the last attempt's error.
 */
export function useForm<T extends object>(initial: T | (() => T), action: (values: T) => Promise<void> | void = () => undefined) {
  const [values, setValues] = useState<T>(initial);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const set = <K extends keyof T>(key: K, value: T[K]) => setValues((current) => ({ ...current, [key]: value }));
  const errorsOf = (...fields: string[]) => fields.flatMap((field) => fieldErrors(error, field));
  const bind = <K extends TextKey<T>>(key: K, options: { field?: string | string[] } = {}): Bound => ({
    value: String(values[key] ?? ''),
    onChange: (event) => set(key, event.target.value as T[K]),
    errors: errorsOf(...[options.field ?? key].flat()),
  });
  const check = <K extends FlagKey<T>>(key: K) => ({
    checked: Boolean(values[key]),
    onChange: (event: ChangeEvent<HTMLInputElement>) => set(key, event.target.checked as T[K]),
  });
  /** Runs the action (from a submit event, or from a confirmation that stands in for one). */
  const submit = async (event?: FormEvent) => {
    event?.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await action(values);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return { values, set, reset: setValues, bind, check, errorsOf, submit, busy, error };
}
