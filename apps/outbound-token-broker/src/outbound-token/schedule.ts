/** Refresh at this fraction of a token's lifetime: late enough not to waste refreshes, early enough to survive an outage. */
const REFRESH_AT_FRACTION = 0.8;
/** ± this fraction of the lifetime, so tokens issued together do not all refresh in the same second. */
const JITTER_FRACTION = 0.05;

/**
 * When the scheduler should refresh a token issued at `issuedAt`: ≈80 % of its lifetime with jitter, but never later
 * than `bufferSeconds` before expiry (but not before half the lifetime), and never in the past. Null when the token does not expire.
 */
export function nextRefreshAt(issuedAt: Date, expiresAt: Date | null, bufferSeconds: number, random: () => number = Math.random): Date | null {
  if (!expiresAt) return null;
  const lifetime = expiresAt.getTime() - issuedAt.getTime();
  const jitter = (random() * 2 - 1) * JITTER_FRACTION * lifetime;
  const planned = issuedAt.getTime() + REFRESH_AT_FRACTION * lifetime + jitter;
  // A buffer longer than half the lifetime would turn into refreshing every second; half the lifetime is the floor.
  const latest = expiresAt.getTime() - Math.min(bufferSeconds * 1000, lifetime / 2);
  const at = Math.max(Math.min(planned, latest), issuedAt.getTime() + Math.min(1000, lifetime / 2));
  return new Date(Math.round(at));
}

/**
 * Delay before retrying after the n-th consecutive transient failure (1 → first retry): exponential from 1 s, capped
 * at 5 minutes, with full jitter so replicas and tokens sharing a provider do not retry in lockstep.
 */
export function retryDelayMs(consecutiveFailures: number, random: () => number = Math.random): number {
  const ceiling = Math.min(300_000, 1000 * 2 ** Math.max(0, consecutiveFailures - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/**
 * Whether a transient failure's retry is still ahead. Until it is due nobody calls the provider for this token — not
 * the scheduler, not callers finding it expired — so a failing provider sees one call per token per backoff step.
 */
export function inBackoff(token: { consecutiveFailures: number; lastTransientError: string | null; nextRefreshAt: Date | null }, now: Date): boolean {
  return token.consecutiveFailures > 0 && token.lastTransientError !== null && token.nextRefreshAt !== null && token.nextRefreshAt > now;
}
