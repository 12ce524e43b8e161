import { postToEndpoint, parseTokenBody } from './token-endpoint.js';
import { TokenEndpointError } from './token-endpoint-error.js';
import { mapTokenResponse, TokenResponseError, type MappedToken } from './token-response.js';
import type { ResolvedProvider } from './resolved-provider.js';

/** Scopes as the provider wants them in a form body: joined with its own separator. */
export function scopeParam(provider: ResolvedProvider): Record<string, string> {
  return provider.scopes.length ? { scope: provider.scopes.join(provider.record.scopeSeparator) } : {};
}

async function request(provider: ResolvedProvider, url: string, params: Record<string, string>, now: () => Date): Promise<MappedToken> {
  const text = await postToEndpoint({ url, params, client: provider.client, timeoutMs: provider.timeoutMs, egress: provider.egress, ...provider.endpoint });
  try {
    return mapTokenResponse(parseTokenBody(text), provider.mapping, now());
  } catch (error) {
    // A 2xx without a token where we were told to look is a configuration problem, not a blip: permanent.
    if (error instanceof TokenResponseError) throw new TokenEndpointError(error.message, true);
    throw error;
  }
}

/** The client-credentials request; a few providers name the grant otherwise (Zoom's account_credentials). */
export function clientCredentialsParams(provider: ResolvedProvider): Record<string, string> {
  return { ...provider.record.tokenParams, grant_type: provider.record.clientCredentialsGrantType ?? 'client_credentials', ...scopeParam(provider) };
}

export function clientCredentialsGrant(provider: ResolvedProvider, now: () => Date): Promise<MappedToken> {
  return request(provider, provider.urls.tokenUrl, clientCredentialsParams(provider), now);
}

export function passwordGrant(provider: ResolvedProvider, credentials: { username: string; password: string }, now: () => Date): Promise<MappedToken> {
  return request(
    provider,
    provider.urls.tokenUrl,
    {
      ...provider.record.tokenParams,
      grant_type: 'password',
      username: credentials.username,
      password: credentials.password,
      ...scopeParam(provider),
    },
    now,
  );
}

/**
 * The refresh request. Some APIs name the grant parameter `refresh_grant_type` instead of `grant_type`, and some need
 * other parameters than the first exchange (refreshParams, which replace tokenParams here rather than add to them).
 */
export function refreshGrant(provider: ResolvedProvider, refreshToken: string, now: () => Date): Promise<MappedToken> {
  const record = provider.record;
  const extra = Object.keys(record.refreshParams).length ? record.refreshParams : record.tokenParams;
  return request(provider, provider.urls.refreshUrl, { ...extra, [record.refreshGrantParam]: record.refreshGrantValue, refresh_token: refreshToken }, now);
}

/** RFC 7009 revocation of one token; the caller decides what a failure means. */
export async function revokeAtProvider(provider: ResolvedProvider, token: string, hint: 'access_token' | 'refresh_token'): Promise<void> {
  if (!provider.urls.revocationUrl) return;
  await postToEndpoint({
    url: provider.urls.revocationUrl,
    params: { token, token_type_hint: hint },
    client: provider.client,
    format: provider.record.revocationRequestFormat,
    timeoutMs: provider.timeoutMs,
    egress: provider.egress,
  });
}
