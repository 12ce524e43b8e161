import { useState } from 'react';

/**
 * An action on a page (revoke, delete, refresh…): keeps its error for the page to show, and re-reads the views it
 * affects afterwards — after a failure too, since a refused action often means the list was stale.
 */
export function useAction(...reloads: (() => void)[]) {
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const run = async <T>(action: () => Promise<T>): Promise<T | undefined> => {
    setBusy(true);
    setError(undefined);
    try {
      return await action();
    } catch (err) {
      setError(err);
      return undefined;
    } finally {
      setBusy(false);
      for (const reload of reloads) reload();
    }
  };
  return { run, error, busy, clearError: () => setError(undefined) };
}
