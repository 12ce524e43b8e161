import type { GrantType, TokenState } from '@tessera/contracts';

/** What decides a token's state when nothing is in flight: whether it holds tokens, and for how long they last. */
export interface TokenFacts {
  active: boolean;
  grantType: GrantType;
  hasAccessToken: boolean;
  hasRefreshToken: boolean;
  expiresAt: Date | null;
  revoked: boolean;
  refreshFailed: boolean;
}

/**
 * The state an administrator sees. Deactivation wins over everything; a revoked or failed token stays so until
 * someone re-authorizes (or refreshes a client_credentials/password token). A client_credentials or password token
 * without an access token is `expired`: the next use fetches one, no human needed.
 */
export function settledState(facts: TokenFacts, now: Date): TokenState {
  if (!facts.active) return 'inactive';
  if (facts.revoked) return 'revoked';
  if (facts.refreshFailed) return 'refresh_failed';
  if (facts.hasAccessToken && (facts.expiresAt === null || facts.expiresAt > now)) return 'valid';
  if (facts.grantType === 'authorization_code' && !facts.hasRefreshToken) return 'pending_authorization';
  return 'expired';
}

/** States in which a caller may be handed a token, or one may be fetched for it without a human. */
export function canServe(state: TokenState): boolean {
  return state === 'valid' || state === 'expired' || state === 'refreshing';
}

/** A token is usable without a refresh when it exists and does not expire within `skewMs`. */
export function isFresh(hasAccessToken: boolean, expiresAt: Date | null, now: Date, skewMs = 5_000): boolean {
  return hasAccessToken && (expiresAt === null || expiresAt.getTime() - skewMs > now.getTime());
}

/**
 * The state everybody is shown (views, filters, events), from the stored one and the clock: a token past its expiry
 * is `expired` whatever the row last said (a replica that died mid-refresh cannot leave it reading `valid`), and
 * `refreshing` while a live lease covers a token with nothing usable — never stored, so a crash cannot strand it.
 */
export function displayedState(
  token: { state: TokenState; accessTokenSealed: string | null; expiresAt: Date | null; leaseUntil: Date | null },
  now: Date,
): TokenState {
  if (token.state !== 'valid' && token.state !== 'expired' && token.state !== 'refreshing') return token.state;
  if (isFresh(token.accessTokenSealed !== null, token.expiresAt, now, 0)) return 'valid';
  return token.leaseUntil !== null && token.leaseUntil > now ? 'refreshing' : 'expired';
}

/** Seconds until a token's next refresh attempt (at least 1): the Retry-After a caller is given while it backs off. */
export function retryAfter(token: { nextRefreshAt: Date | null }, now: Date): number {
  return Math.max(1, Math.ceil(((token.nextRefreshAt?.getTime() ?? now.getTime()) - now.getTime()) / 1000));
}
