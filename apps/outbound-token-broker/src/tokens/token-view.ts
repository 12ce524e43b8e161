import type { OutboundTokenView } from '@tessera/contracts';
import type { OutboundToken } from '../outbound-token/outbound-token.entity.js';
import { displayedState } from '../outbound-token/token-state.js';

/**
 * The admin view: state and metadata only. Access and refresh tokens and the password never leave through /admin.
 * The state is the displayed one (`now` decides whether the token has expired or is being refreshed).
 */
export function toTokenView(t: OutboundToken, now: Date): OutboundTokenView {
  return {
    id: t.id,
    name: t.name,
    providerId: t.providerId,
    active: t.active,
    scopes: t.scopes,
    prompt: t.prompt,
    variables: t.variables,
    baseUrl: t.baseUrl,
    responseValues: t.responseValues ?? {},
    platformInstance: t.platformInstance,
    username: t.username,
    hasPassword: t.passwordSealed !== null,
    state: displayedState(t, now),
    tokenType: t.tokenType,
    scope: t.scope,
    createdAt: t.createdAt.toISOString(),
    updatedAt: t.updatedAt.toISOString(),
    expiresAt: t.expiresAt?.toISOString() ?? null,
    lastRefreshedAt: t.lastRefreshedAt?.toISOString() ?? null,
    nextRefreshAt: t.nextRefreshAt?.toISOString() ?? null,
    lastMessage: t.lastMessage,
    consecutiveFailures: t.consecutiveFailures,
    lastTransientError: t.lastTransientError,
    proxyLimits: t.proxyLimits ?? {},
  };
}
