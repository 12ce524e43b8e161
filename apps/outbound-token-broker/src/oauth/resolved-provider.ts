import type { ProviderSettingValues, ProviderView } from '@tessera/contracts';
import type { Egress } from '@tessera/egress';
import type { ClientCredentials, EndpointCall } from './token-endpoint.js';
import type { AuthorizationCodeProvider } from './authorization-code-client.js';
import type { ResponseMapping } from './token-response.js';
import { fillTokenUrl, type TokenValues } from './token-variables.js';
import { templateVariables } from './url-template.js';
import type { SigningKey } from '../signing/signing-key.js';

/** The provider settings a token's OAuth flows use: every stored setting (URLs may hold `{{variable}}`s), and its row version. */
export type ProviderRecord = Pick<ProviderView, 'id' | keyof ProviderSettingValues> & { version: number };

/** A provider as one token uses it: URLs filled from the token's variables, secret opened, scopes chosen. */
export interface ResolvedProvider {
  record: ProviderRecord;
  urls: { authorizationUrl: string | null; tokenUrl: string; refreshUrl: string; revocationUrl: string | null };
  client: ClientCredentials;
  /** jwt_bearer: the provider's own key, which signs the grant's assertion (never the platform's). */
  signingKey: SigningKey | null;
  /** How the provider's token endpoint wants its requests, and how it says an answered request failed. */
  endpoint: Pick<EndpointCall, 'format' | 'okFlag'>;
  scopes: string[];
  mapping: ResponseMapping;
  timeoutMs: number;
  /** How requests to the provider go out (the egress policy). */
  egress: Egress;
}

/**
 * Names of variables the provider's URLs (and a token's baseUrl) need that `variables` lacks; `fromAnswers` are
 * filled from token answers later, so they are not missing.
 */
export function missingVariables(
  templates: (string | null | undefined)[],
  variables: Record<string, string>,
  fromAnswers: Record<string, string> = {},
): string[] {
  return [...new Set(templates.flatMap((t) => (t ? templateVariables(t) : [])))].filter((name) => !variables[name] && !(name in fromAnswers));
}

/**
 * What the client proves itself with: its secret opened, for private_key_jwt its assertion signer (the provider's key
 * or the platform's, ProvidersService.credential), and for jwt_bearer the provider's own key, opened.
 */
export type ProviderCredential = Pick<ClientCredentials, 'clientSecret' | 'assertion'> & { signingKey?: SigningKey | null };

/**
 * `timeoutCeilingMs`: the platform's longest provider call (TESSERA_BROKER_PROVIDER_TIMEOUT_MS); the provider's own may
 * be shorter. A bare string `credential` is the client secret.
 */
export function resolveProvider(
  record: ProviderRecord,
  credential: string | ProviderCredential,
  token: TokenValues & { scopes: string[] | null },
  egress: Egress,
  timeoutCeilingMs = Infinity,
): ResolvedProvider {
  const { signingKey = null, assertion, ...secret } = typeof credential === 'string' ? { clientSecret: credential } : credential;
  const fill = (template: string | null, field: string) => (template ? fillTokenUrl(template, record, token, field) : null);
  const tokenUrl = fillTokenUrl(record.tokenUrl, record, token, 'tokenUrl');
  return {
    record,
    urls: {
      authorizationUrl: fill(record.authorizationUrl, 'authorizationUrl'),
      tokenUrl,
      // An optional refresh URL: refreshes go to the token URL when there is none.
      refreshUrl: fill(record.refreshUrl, 'refreshUrl') ?? tokenUrl,
      revocationUrl: fill(record.revocationUrl, 'revocationUrl'),
    },
    client: {
      clientId: record.clientId,
      method: record.clientAuthMethod,
      ...secret,
      // A provider that wants another aud than the URL called (Salesforce's login host) names it, whoever signs.
      ...(assertion ? { assertion: (url: string) => assertion(record.assertionAudience ?? url) } : {}),
    },
    signingKey,
    endpoint: {
      format: record.tokenRequestFormat,
      ...(record.errorPath ? { okFlag: { path: record.errorPath, value: record.errorPathOkValue ?? 'true' } } : {}),
    },
    // A token's scopes override the provider's, they do not add to them.
    scopes: token.scopes ?? record.scopes,
    mapping: {
      accessTokenPath: record.accessTokenPath,
      refreshTokenPath: record.refreshTokenPath,
      expiresInPath: record.expiresInPath,
      expiresInUnit: record.expiresInUnit,
      expiresAtPath: record.expiresAtPath,
      defaultLifetimeSeconds: record.defaultLifetimeSeconds,
      values: { variables: record.tokenResponseVariables, hosts: record.tokenResponseHosts },
    },
    timeoutMs: Math.min(record.timeoutSeconds * 1000, timeoutCeilingMs),
    egress,
  };
}

/** What the authorization-code flow needs of a resolved provider: the one place it is put together (flow and provider test). */
export function codeFlowProvider(resolved: ResolvedProvider): AuthorizationCodeProvider {
  const record = resolved.record;
  return {
    id: record.id,
    version: String(record.version),
    authorizationUrl: resolved.urls.authorizationUrl!,
    tokenUrl: resolved.urls.tokenUrl,
    client: resolved.client,
    endpoint: resolved.endpoint,
    pkce: record.pkce,
    scopeSeparator: record.scopeSeparator,
    authorizationParams: record.authorizationParams,
    tokenParams: record.tokenParams,
    accessTokenPath: record.accessTokenPath,
    timeoutMs: resolved.timeoutMs,
  };
}
