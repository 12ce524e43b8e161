import { postToEndpoint, parseTokenBody, type ClientCredentials } from './token-endpoint.js';
import { TokenEndpointError } from './token-endpoint-error.js';
import { mapTokenResponse, TokenResponseError, type MappedToken } from './token-response.js';
import type { ResolvedProvider } from './resolved-provider.js';
import { JWT_BEARER_GRANT_TYPE } from '@tessera/contracts';
import { signAssertion } from '../signing/assertion.js';

/** Scopes as the provider wants them in a form body: joined with its own separator. */
export function scopeParam(provider: ResolvedProvider): Record<string, string> {
  return provider.scopes.length ? { scope: provider.scopes.join(provider.record.scopeSeparator) } : {};
}

async function request(provider: ResolvedProvider, url: string, params: Record<string, string>, now: () => Date): Promise<MappedToken> {
  const client = grantClient(provider);
  const text = await postToEndpoint({ url, params, client, timeoutMs: provider.timeoutMs, egress: provider.egress, ...provider.endpoint });
  try {
    return mapTokenResponse(parseTokenBody(text), provider.mapping, now());
  } catch (error) {
    // A 2xx without a token where we were told to look is a configuration problem, not a blip: permanent.
    if (error instanceof TokenResponseError) throw new TokenEndpointError(error.message, true);
    throw error;
  }
}

/**
 * How the client authenticates for the provider's grant. A jwt_bearer assertion is itself the credential (RFC 7523
 * §2.1 makes client authentication optional): without a secret or private_key_jwt, nothing else is sent, not even a
 * client_id, which Google's endpoint does not expect.
 */
export function grantClient(provider: ResolvedProvider): ClientCredentials {
  const client = provider.client;
  if (provider.record.grantType === 'jwt_bearer' && client.method !== 'private_key_jwt' && !client.clientSecret) return { ...client, anonymous: true };
  return client;
}

/** The client-credentials request; a few providers name the grant otherwise (Zoom's account_credentials). */
export function clientCredentialsParams(provider: ResolvedProvider): Record<string, string> {
  return { ...provider.record.tokenParams, grant_type: provider.record.clientCredentialsGrantType ?? 'client_credentials', ...scopeParam(provider) };
}

export function clientCredentialsGrant(provider: ResolvedProvider, now: () => Date): Promise<MappedToken> {
  return request(provider, provider.urls.tokenUrl, clientCredentialsParams(provider), now);
}

/**
 * RFC 7523 §2.1: the broker's own signed assertion is the grant. iss is the client id (a service account's email,
 * Salesforce's consumer key, DocuSign's integration key), sub the user it acts for, aud the token endpoint unless the
 * provider names another. The scopes go where the provider reads them: the form (the RFC) or a claim (Google).
 * There is never a refresh token: a new assertion is the renewal.
 */
export async function jwtBearerParams(provider: ResolvedProvider): Promise<Record<string, string>> {
  const record = provider.record;
  if (!provider.signingKey) throw new TokenEndpointError('jwt_bearer: the provider has no signing key: give assertionKey or serviceAccount', true);
  const scope = provider.scopes.length ? provider.scopes.join(record.scopeSeparator) : undefined;
  const inClaim = record.assertionScope === 'claim';
  const assertion = await signAssertion(
    provider.signingKey,
    {
      iss: record.clientId,
      ...(record.assertionSubject ? { sub: record.assertionSubject } : {}),
      aud: record.assertionAudience ?? provider.urls.tokenUrl,
      ...(inClaim && scope ? { scope } : {}),
    },
    new Date(),
  );
  return { ...record.tokenParams, grant_type: JWT_BEARER_GRANT_TYPE, assertion, ...(!inClaim ? scopeParam(provider) : {}) };
}

export async function jwtBearerGrant(provider: ResolvedProvider, now: () => Date): Promise<MappedToken> {
  return request(provider, provider.urls.tokenUrl, await jwtBearerParams(provider), now);
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
    client: grantClient(provider),
    format: provider.record.revocationRequestFormat,
    timeoutMs: provider.timeoutMs,
    egress: provider.egress,
  });
}
