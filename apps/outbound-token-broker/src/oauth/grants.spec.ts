import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Egress, EgressPolicy } from '@tessera/egress';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientCredentialsGrant, refreshGrant, revokeAtProvider } from './grants.js';
import { resolveProvider, type ProviderRecord } from './resolved-provider.js';

/** What the provider received: path, query, content type and body. */
const received: { path: string; type?: string; body: string }[] = [];
let server: Server;
let url = '';
beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      received.push({ path: req.url!, type: req.headers['content-type'], body });
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: 'at', refresh_token: 'rt2', expires_in: 60 }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

function record(overrides: Partial<ProviderRecord>): ProviderRecord {
  return {
    id: 'p',
    version: 1,
    name: 'p',
    description: null,
    docsUrl: null,
    grantType: 'client_credentials',
    clientId: 'app',
    clientAuthMethod: 'client_secret_post',
    authorizationUrl: null,
    tokenUrl: `${url}/token`,
    refreshUrl: null,
    revocationUrl: `${url}/revoke`,
    scopes: ['a', 'b'],
    scopeSeparator: ' ',
    pkce: false,
    stateLength: 32,
    prompt: null,
    authorizationParams: {},
    clientCredentialsGrantType: null,
    tokenRequestFormat: 'form',
    tokenParams: {},
    accessTokenPath: 'access_token',
    refreshTokenPath: 'refresh_token',
    expiresInPath: 'expires_in',
    expiresInUnit: 'seconds',
    expiresAtPath: null,
    errorPath: null,
    errorPathOkValue: null,
    tokenResponseVariables: {},
    tokenResponseHosts: {},
    defaultLifetimeSeconds: null,
    timeoutSeconds: 5,
    refreshGrantParam: 'grant_type',
    refreshGrantValue: 'refresh_token',
    refreshParams: {},
    refreshBufferSeconds: 60,
    revocationRequestFormat: 'form',
    apiTokenHeader: null,
    apiTokenPrefix: null,
    apiHeaders: {},
    assertionAlgorithm: null,
    assertionKeyId: null,
    assertionAudience: null,
    assertionSubject: null,
    assertionScope: 'param',
    assertionSigner: 'provider',
    ...overrides,
  };
}
const resolved = (overrides: Partial<ProviderRecord>) =>
  resolveProvider(record(overrides), 'secret', { variables: {}, scopes: null }, new Egress(new EgressPolicy(true)));
const now = () => new Date();

describe('grants with the quirks of PROVIDER_SETTINGS', () => {
  it("clientCredentialsGrantType replaces client_credentials as the grant's name (Zoom's account_credentials)", async () => {
    await clientCredentialsGrant(resolved({ clientCredentialsGrantType: 'account_credentials', tokenParams: { account_id: 'x' } }), now);
    expect(Object.fromEntries(new URLSearchParams(received.at(-1)!.body))).toEqual({
      account_id: 'x',
      grant_type: 'account_credentials',
      scope: 'a b',
      client_id: 'app',
      client_secret: 'secret',
    });
  });

  it('tokenRequestFormat json and query reach refreshes too', async () => {
    await refreshGrant(resolved({ tokenRequestFormat: 'json' }), 'rt', now);
    expect(received.at(-1)!.type).toBe('application/json');
    expect(JSON.parse(received.at(-1)!.body)).toEqual({ grant_type: 'refresh_token', refresh_token: 'rt', client_id: 'app', client_secret: 'secret' });
    await refreshGrant(resolved({ tokenRequestFormat: 'query' }), 'rt', now);
    expect(received.at(-1)).toEqual({ path: '/token?grant_type=refresh_token&refresh_token=rt&client_id=app&client_secret=secret', body: '' });
  });

  it('revocationRequestFormat json sends the RFC 7009 parameters as JSON (Intuit)', async () => {
    await revokeAtProvider(resolved({ revocationRequestFormat: 'json', tokenRequestFormat: 'query' }), 'rt', 'refresh_token');
    expect(received.at(-1)!.path).toBe('/revoke');
    expect(JSON.parse(received.at(-1)!.body)).toEqual({ token: 'rt', token_type_hint: 'refresh_token', client_id: 'app', client_secret: 'secret' });
  });
});
