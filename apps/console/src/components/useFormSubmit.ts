import { useState, type FormEvent } from 'react';

/** A form's submit handler: keeps the page from reloading, marks the form busy, and keeps the last attempt's error. */
export function useFormSubmit(action: () => Promise<void>) {
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await action();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return { submit, busy, error };
}
