import type { ProviderView } from '@tessera/contracts';
import type { Provider } from './provider.entity.js';

export function toProviderView(p: Provider): ProviderView {
  return {
    id: p.id,
    name: p.name,
    description: p.description,
    docsUrl: p.docsUrl,
    grantType: p.grantType,
    clientId: p.clientId,
    hasClientSecret: p.clientSecretSealed !== null,
    authorizationUrl: p.authorizationUrl,
    tokenUrl: p.tokenUrl,
    refreshUrl: p.refreshUrl,
    revocationUrl: p.revocationUrl,
    scopes: p.scopes,
    scopeSeparator: p.scopeSeparator,
    clientAuthMethod: p.clientAuthMethod,
    pkce: p.pkce,
    stateLength: p.stateLength,
    prompt: p.prompt,
    authorizationParams: p.authorizationParams,
    tokenParams: p.tokenParams,
    accessTokenPath: p.accessTokenPath,
    refreshTokenPath: p.refreshTokenPath,
    expiresInPath: p.expiresInPath,
    refreshGrantParam: p.refreshGrantParam,
    refreshGrantValue: p.refreshGrantValue,
    refreshParams: p.refreshParams,
    expiresInUnit: p.expiresInUnit,
    refreshBufferSeconds: p.refreshBufferSeconds,
    timeoutSeconds: p.timeoutSeconds,
    defaultLifetimeSeconds: p.defaultLifetimeSeconds,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
}
