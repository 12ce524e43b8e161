import type { ClientAuthMethod, ExpiresInUnit, GrantType } from '@tessera/contracts';
import type { ClientCredentials } from './token-endpoint.js';
import type { ResponseMapping } from './token-response.js';
import { fillTemplate, templateVariables } from './url-template.js';

/** The provider fields that hold URLs, which may carry `{{variable}}` placeholders. */
export interface ProviderUrls {
  authorizationUrl: string | null;
  tokenUrl: string;
  refreshUrl: string | null;
  revocationUrl: string | null;
}

export interface ProviderRecord extends ProviderUrls {
  id: string;
  version: number;
  grantType: GrantType;
  clientId: string;
  clientAuthMethod: ClientAuthMethod;
  scopes: string[];
  scopeSeparator: string;
  pkce: boolean;
  prompt: string | null;
  authorizationParams: Record<string, string>;
  tokenParams: Record<string, string>;
  accessTokenPath: string;
  refreshTokenPath: string;
  expiresInPath: string;
  expiresInUnit: ExpiresInUnit;
  refreshGrantParam: string;
  refreshGrantValue: string;
  refreshParams: Record<string, string>;
  timeoutSeconds: number;
  defaultLifetimeSeconds: number | null;
}

/** A provider as one token uses it: URLs filled from the token's variables, secret opened, scopes chosen. */
export interface ResolvedProvider {
  record: ProviderRecord;
  urls: { authorizationUrl: string | null; tokenUrl: string; refreshUrl: string; revocationUrl: string | null };
  client: ClientCredentials;
  scopes: string[];
  mapping: ResponseMapping;
  timeoutMs: number;
}

/** Names of variables the provider's URLs (and a token's baseUrl) need that `variables` lacks. */
export function missingVariables(templates: (string | null | undefined)[], variables: Record<string, string>): string[] {
  return [...new Set(templates.flatMap((t) => (t ? templateVariables(t) : [])))].filter((name) => !variables[name]);
}

export function resolveProvider(record: ProviderRecord, clientSecret: string, token: { variables: Record<string, string>; scopes: string[] | null }): ResolvedProvider {
  const fill = (template: string | null, field: string) => (template ? fillTemplate(template, token.variables, field) : null);
  const tokenUrl = fillTemplate(record.tokenUrl, token.variables, 'tokenUrl');
  return {
    record,
    urls: {
      authorizationUrl: fill(record.authorizationUrl, 'authorizationUrl'),
      tokenUrl,
      // Patchworks' optional "re-authenticate URL": refreshes go to the token URL when there is none.
      refreshUrl: fill(record.refreshUrl, 'refreshUrl') ?? tokenUrl,
      revocationUrl: fill(record.revocationUrl, 'revocationUrl'),
    },
    client: { clientId: record.clientId, clientSecret, method: record.clientAuthMethod },
    // A token's scopes override the provider's (Servicely), they do not add to them.
    scopes: token.scopes ?? record.scopes,
    mapping: {
      accessTokenPath: record.accessTokenPath, refreshTokenPath: record.refreshTokenPath, expiresInPath: record.expiresInPath,
      expiresInUnit: record.expiresInUnit, defaultLifetimeSeconds: record.defaultLifetimeSeconds,
    },
    timeoutMs: record.timeoutSeconds * 1000,
  };
}
