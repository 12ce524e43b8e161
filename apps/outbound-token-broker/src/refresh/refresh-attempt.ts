import { Events, type OutboundTokenRecoveredEvent, type OutboundTokenRefreshedEvent, type OutboundTokenRefreshFailedEvent } from '@tessera/contracts';
import type { Egress } from '@tessera/egress';
import { clientCredentialsGrant, jwtBearerGrant, passwordGrant, refreshGrant } from '../oauth/grants.js';
import { resolveProvider, type ProviderCredential, type ResolvedProvider } from '../oauth/resolved-provider.js';
import { TokenEndpointError } from '../oauth/token-endpoint-error.js';
import type { MappedToken } from '../oauth/token-response.js';
import type { Provider } from '../providers/provider.entity.js';
import type { BrokerSecrets } from '../secrets/broker-secrets.js';
import type { OutboundToken } from '../outbound-token/outbound-token.entity.js';
import { forgetTokens, openRefreshToken, storeIssuedTokens } from '../outbound-token/token-credentials.js';
import { isFresh } from '../outbound-token/token-state.js';
import { retryDelayMs } from '../outbound-token/schedule.js';

/** `backing_off`: a transient failure's retry is not due yet, and callers share that wait; `busy`: another holder's refresh outlasted the wait. */
export type RefreshOutcome = 'refreshed' | 'not_needed' | 'transient_failure' | 'permanent_failure' | 'not_possible' | 'busy' | 'backing_off';

/** One event to record with the token's new state, in the same transaction: its subject and its payload's shape. */
type PendingEvent =
  | { type: typeof Events.outboundTokenRefreshed; data: OutboundTokenRefreshedEvent }
  | { type: typeof Events.outboundTokenRecovered; data: OutboundTokenRecoveredEvent }
  | { type: typeof Events.outboundTokenRefreshFailed; data: OutboundTokenRefreshFailedEvent };

export interface AttemptResult {
  outcome: RefreshOutcome;
  /** The token with its new state applied (not yet stored). */
  token: OutboundToken;
  events: PendingEvent[];
  error?: string;
  /** A failure's bounded class (TokenEndpointError.failureClass), for the metrics. */
  failureClass?: string;
}

/** The grant that renews a token: its refresh token when it has one, else the client's own credentials. */
async function obtain(token: OutboundToken, provider: ResolvedProvider, secrets: BrokerSecrets, now: () => Date): Promise<MappedToken | undefined> {
  const refreshToken = openRefreshToken(secrets, token);
  switch (provider.record.grantType) {
    case 'client_credentials':
      return clientCredentialsGrant(provider, now);
    case 'jwt_bearer':
      // No refresh token ever comes: a new assertion is the renewal.
      return jwtBearerGrant(provider, now);
    case 'password': {
      if (refreshToken) {
        try {
          return await refreshGrant(provider, refreshToken, now);
        } catch (error) {
          // The password is the durable credential: a dead refresh token is replaced by logging in again.
          if (!(error instanceof TokenEndpointError && error.permanent)) throw error;
        }
      }
      const password = secrets.openOptional(token.passwordSealed, token.id, 'password');
      if (!token.username || !password) throw new TokenEndpointError('the password grant needs a username and password on the token', true);
      return passwordGrant(provider, { username: token.username, password }, now);
    }
    case 'authorization_code':
      return refreshToken ? refreshGrant(provider, refreshToken, now) : undefined;
  }
}

/**
 * The provider's words, and for a grant with nothing to re-authorize (client_credentials, password) what fixes it: the
 * provider's client credentials or settings, after which the broker fetches again by itself (ProvidersService.update).
 * An authorization-code token's message stays the provider's words: "Get authorization token" is the way out.
 */
function withNextStep(error: TokenEndpointError, grantType: Provider['grantType']): string {
  if (grantType === 'authorization_code') return error.message;
  const fix =
    error.oauthError === 'invalid_client' || error.status === 401
      ? 'the provider refused its client ID or secret: correct them on the provider'
      : grantType === 'jwt_bearer' && error.oauthError === 'invalid_grant'
        ? 'the provider refused the assertion: check the signing key and its ID, the subject and the audience on the provider'
        : grantType === 'password' && error.oauthError === 'invalid_grant'
          ? 'the provider refused the username or password: enter them again on the token'
          : "check the provider's settings (client, scopes, token URL)";
  return `${error.message} — ${fix}; the token is fetched again by itself once the provider is saved`;
}

/**
 * Calls the provider for one token and applies the answer to it in memory. Permanent failures make the token
 * refresh_failed (a human must re-authorize); transient ones schedule a retry with backoff, count it, and keep the
 * current access token in service while it lasts. Storing the result is the caller's job, under its lock.
 */
export async function attemptRefresh(
  token: OutboundToken,
  provider: Provider,
  credential: ProviderCredential,
  secrets: BrokerSecrets,
  now: () => Date,
  egress: Egress,
  timeoutCeilingMs = Infinity,
): Promise<AttemptResult> {
  const previousState = token.state === 'refreshing' ? 'expired' : token.state;
  // What callers saw before this attempt: a token past its expiry was `expired` already, whatever the row said.
  const shownBefore = previousState === 'valid' && !isFresh(token.accessTokenSealed !== null, token.expiresAt, now(), 0) ? 'expired' : previousState;
  const summary = (): OutboundTokenRefreshedEvent => ({
    tokenId: token.id,
    name: token.name,
    expiresAt: token.expiresAt?.toISOString() ?? null,
    scope: token.scope,
  });
  let issued: MappedToken | undefined;
  try {
    issued = await obtain(token, resolveProvider(provider, credential, token, egress, timeoutCeilingMs), secrets, now);
  } catch (error) {
    if (!(error instanceof TokenEndpointError)) throw error;
    const failuresBefore = token.consecutiveFailures;
    token.consecutiveFailures += 1;
    if (error.permanent && token.platformInstance && error.oauthError === 'invalid_grant') {
      // The other platform ended the grant (its admin revoked it): the token is revoked, the same word its instance
      // record uses, and what it held is forgotten rather than shown with an expiry it no longer has.
      forgetTokens(token);
      token.state = 'revoked';
      token.lastMessage = `${token.platformInstance} refused the token (${error.message}): an admin of ${token.platformInstance} must consent again ("Request")`;
    } else if (error.permanent) {
      token.state = 'refresh_failed';
      token.lastMessage = withNextStep(error, provider.grantType);
      token.nextRefreshAt = null;
    } else {
      token.lastTransientError = error.message;
      token.nextRefreshAt = new Date(now().getTime() + retryDelayMs(token.consecutiveFailures));
      token.state = isFresh(token.accessTokenSealed !== null, token.expiresAt, now(), 0)
        ? 'valid'
        : previousState === 'pending_authorization'
          ? previousState
          : 'expired';
    }
    // One event when a streak of failures starts or the token's state changes, not one per retry: a provider down
    // for minutes is one story, and every attempt is already one backoff step apart.
    const announce = error.permanent || failuresBefore === 0 || token.state !== shownBefore;
    const data: OutboundTokenRefreshFailedEvent = {
      tokenId: token.id,
      name: token.name,
      error: error.message,
      permanent: error.permanent,
      consecutiveFailures: token.consecutiveFailures,
      state: token.state,
      retryAt: token.nextRefreshAt?.toISOString() ?? null,
    };
    return {
      outcome: error.permanent ? 'permanent_failure' : 'transient_failure',
      token,
      error: error.message,
      failureClass: error.failureClass,
      events: announce ? [{ type: Events.outboundTokenRefreshFailed, data }] : [],
    };
  }
  if (!issued) {
    token.state = previousState;
    return { outcome: 'not_possible', token, events: [], error: 'no refresh token: the token needs authorization' };
  }
  const failuresBefore = token.consecutiveFailures;
  storeIssuedTokens(secrets, token, issued, now(), provider.refreshBufferSeconds);
  const events: PendingEvent[] = [{ type: Events.outboundTokenRefreshed, data: summary() }];
  if (failuresBefore > 0)
    events.push({
      type: Events.outboundTokenRecovered,
      data: { tokenId: token.id, name: token.name, failuresBeforeRecovery: failuresBefore, expiresAt: summary().expiresAt },
    });
  return { outcome: 'refreshed', token, events };
}
