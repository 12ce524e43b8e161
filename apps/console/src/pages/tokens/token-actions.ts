import type { GrantType, OutboundTokenView } from '../../api/types';

export type TokenAction = 'authorize' | 'refresh';

/**
 * The one action that gets a token going again, in words that fit its grant: only an authorization-code token has a
 * consent to get ("Get authorization token"); a client_credentials or password token is fetched by the broker itself.
 */
export function primaryAction(token: OutboundTokenView, grantType: GrantType | undefined): { action: TokenAction; label: string } | undefined {
  if (token.state === 'inactive') return undefined;
  const holdsOne = token.state === 'valid' || token.state === 'refreshing';
  if (grantType === 'authorization_code') {
    if (token.state === 'pending_authorization' || token.state === 'revoked' || token.state === 'refresh_failed')
      return { action: 'authorize', label: 'Get authorization token' };
    return { action: 'refresh', label: 'Refresh now' };
  }
  return holdsOne ? { action: 'refresh', label: 'Refresh now' } : { action: 'refresh', label: 'Fetch token' };
}

/** What revoking does, said before it is done. */
export function revokeConsequences(token: OutboundTokenView, providerName: string, grantType: GrantType | undefined): string {
  const again = grantType === 'authorization_code' ? 'someone gets an authorization token again (a new consent)' : 'someone fetches a new one';
  return (
    `The broker asks ${providerName} to revoke the access and refresh tokens (when it has a revocation URL) and forgets them here. ` +
    `Services using /tokens/${token.name} and /proxy/${token.name}/… get no token until ${again}.`
  );
}

/**
 * The state to show for a token: one that has never held an access token (created inactive, or its first fetch not
 * done yet) reads "not fetched yet" rather than `expired`, which would suggest it once worked.
 */
export function shownState(token: Pick<OutboundTokenView, 'state' | 'lastRefreshedAt' | 'expiresAt'>): string {
  return token.state === 'expired' && token.lastRefreshedAt === null && token.expiresAt === null ? 'not_fetched' : token.state;
}
