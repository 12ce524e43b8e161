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
 * without an access token is `expired`: the next use fetches one (Itential's behaviour), no human needed.
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
