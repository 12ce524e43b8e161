import { useEffect, useRef } from 'react';

/**
 * Calls `tick` every `intervalMs` while `active`, for at most `forMs`: how a page notices a change made elsewhere
 * (the admin consenting in another tab, the broker applying a revocation) without a reload.
 */
export function usePolling(active: boolean, tick: () => void, intervalMs = 2000, forMs = 10 * 60_000) {
  const latest = useRef(tick);
  latest.current = tick;
  useEffect(() => {
    if (!active) return;
    const started = Date.now();
    const timer = setInterval(() => {
      if (Date.now() - started > forMs) clearInterval(timer);
      else latest.current();
    }, intervalMs);
    return () => clearInterval(timer);
  }, [active, intervalMs, forMs]);
}
