import { useCallback, useEffect, useState } from 'react';

/** Loads data for a page, again whenever `deps` change or `reload()` is called; keeps the last data while reloading. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]) {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [loading, setLoading] = useState(true);
  const [generation, setGeneration] = useState(0);
  const run = useCallback(load, deps);
  useEffect(() => {
    let current = true;
    setLoading(true);
    run().then(
      (result) => {
        if (current) {
          setData(result);
          setError(undefined);
          setLoading(false);
        }
      },
      (err: unknown) => {
        if (current) {
          setError(err);
          setLoading(false);
        }
      },
    );
    return () => {
      current = false;
    };
  }, [run, generation]);
  return { data, error, loading, reload: () => setGeneration((g) => g + 1) };
}
