import type { MappedToken } from '../oauth/token-response.js';
import { nextRefreshAt } from './schedule.js';
import type { BrokerSecrets } from '../secrets/broker-secrets.js';
import type { OutboundToken } from './outbound-token.entity.js';

export function openAccessToken(secrets: BrokerSecrets, token: OutboundToken): string | undefined {
  return secrets.openOptional(token.accessTokenSealed, token.id, 'access_token');
}

export function openRefreshToken(secrets: BrokerSecrets, token: OutboundToken): string | undefined {
  return secrets.openOptional(token.refreshTokenSealed, token.id, 'refresh_token');
}

/**
 * Stores what a provider issued, sealed. The old refresh token is kept when none came back (many providers only send
 * one with the first exchange), and so is the old scope.
 */
export function storeIssuedTokens(secrets: BrokerSecrets, token: OutboundToken, issued: MappedToken, now: Date, refreshBufferSeconds: number): void {
  token.accessTokenSealed = secrets.seal(issued.accessToken, token.id, 'access_token');
  if (issued.refreshToken) token.refreshTokenSealed = secrets.seal(issued.refreshToken, token.id, 'refresh_token');
  token.tokenType = issued.tokenType;
  token.scope = issued.scope ?? token.scope;
  // An answer that leaves a value out keeps the one an earlier answer gave (refresh answers often repeat less).
  token.responseValues = { ...token.responseValues, ...issued.values };
  token.expiresAt = issued.expiresAt;
  token.lastRefreshedAt = now;
  token.nextRefreshAt = nextRefreshAt(now, issued.expiresAt, refreshBufferSeconds);
  token.state = 'valid';
  token.lastMessage = null;
  token.consecutiveFailures = 0;
  token.lastTransientError = null;
}

/** Forgets the tokens (revocation, deletion of the grant): nothing to refresh any more. */
export function forgetTokens(token: OutboundToken): void {
  token.accessTokenSealed = null;
  token.refreshTokenSealed = null;
  token.expiresAt = null;
  token.nextRefreshAt = null;
  token.scope = null;
  token.responseValues = {};
}
