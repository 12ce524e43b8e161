import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PROVIDER_SETTINGS, STORED_SETTING_NAMES } from '@tessera/contracts';
import { Egress, EgressPolicy } from '@tessera/egress';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrivateKey } from 'node:crypto';
import { jwtBearerGrant, refreshGrant, revokeAtProvider } from './grants.js';
import { resolveProvider, type ProviderRecord } from './resolved-provider.js';
import { generateSigningKey, importSigningKey, type NewSigningKey, type SigningKey } from '../signing/signing-key.js';
import { ASSERTION_LIFETIME_SECONDS } from '../signing/assertion.js';
import { clientAssertionSigner } from '../signing/client-assertion-signer.js';

const received: Record<string, string>[] = [];
let server: Server;
let url = '';
beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      received.push({ ...Object.fromEntries(new URLSearchParams(body)), ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}) });
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: 'at', expires_in: 3600 }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

const signer = (key: NewSigningKey): SigningKey => ({ privateKey: createPrivateKey(key.privatePem), alg: key.stored.alg, kid: key.stored.kid });
const jwks = (key: NewSigningKey) => createLocalJWKSet({ keys: [key.stored.publicJwk] });

function resolved(overrides: Partial<ProviderRecord>, key: NewSigningKey, secret = '') {
  // Every setting at its default (PROVIDER_SETTINGS), then what the case is about.
  const defaults = Object.fromEntries(STORED_SETTING_NAMES.map((name) => [name, PROVIDER_SETTINGS[name].default]));
  const record = {
    ...defaults,
    id: 'p',
    version: 1,
    name: 'p',
    grantType: 'jwt_bearer',
    clientId: 'sa@project.iam.gserviceaccount.com',
    tokenUrl: `${url}/token`,
    revocationUrl: `${url}/revoke`,
    scopes: ['https://www.googleapis.com/auth/cloud-platform', 'openid'],
    timeoutSeconds: 5,
    ...overrides,
  } as ProviderRecord;
  // The provider's own key: it signs the jwt_bearer grant, and private_key_jwt's client assertions when it uses that.
  const signingKey = signer(key);
  const credential = {
    clientSecret: secret,
    signingKey,
    assertion: clientAssertionSigner(record, signingKey, () => () => Promise.reject(new Error('not the platform'))),
  };
  return resolveProvider(record, credential, { variables: {}, scopes: null }, new Egress(new EgressPolicy(true)), Infinity);
}

describe('assertions the broker signs (RFC 7523)', () => {
  it('jwt_bearer: a Google-style assertion, scopes in a claim, no client authentication, verified with the published key', async () => {
    const key = await generateSigningKey('RS256', new Date());
    await jwtBearerGrant(resolved({ assertionScope: 'claim' }, key), () => new Date());
    const sent = received.at(-1)!;
    expect(Object.keys(sent).sort()).toEqual(['assertion', 'grant_type']);
    expect(sent.grant_type).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer');
    const { payload, protectedHeader } = await jwtVerify(sent.assertion, jwks(key), {
      issuer: 'sa@project.iam.gserviceaccount.com',
      audience: `${url}/token`,
      algorithms: ['RS256'],
    });
    expect(protectedHeader.kid).toBe(key.stored.kid);
    expect(payload.scope).toBe('https://www.googleapis.com/auth/cloud-platform openid');
    expect(payload.sub).toBeUndefined();
    expect(payload.exp! - payload.iat!).toBe(ASSERTION_LIFETIME_SECONDS);
    expect(payload.jti).toEqual(expect.any(String));
  });

  it('jwt_bearer: Salesforce-style subject and audience, scopes as the form parameter, a new jti each time', async () => {
    const key = await generateSigningKey('ES256', new Date());
    const provider = resolved({ clientId: 'consumer-key', assertionSubject: 'user@example.com', assertionAudience: 'https://login.salesforce.com' }, key);
    await jwtBearerGrant(provider, () => new Date());
    await jwtBearerGrant(provider, () => new Date());
    const [first, second] = received.slice(-2);
    expect(first.scope).toBe('https://www.googleapis.com/auth/cloud-platform openid');
    const a = await jwtVerify(first.assertion, jwks(key), { issuer: 'consumer-key', subject: 'user@example.com', audience: 'https://login.salesforce.com' });
    const b = await jwtVerify(second.assertion, jwks(key), { audience: 'https://login.salesforce.com' });
    expect(a.payload.scope).toBeUndefined();
    expect(a.payload.jti).not.toBe(b.payload.jti);
  });

  it('private_key_jwt: iss = sub = client id, aud the URL called, no secret, on refresh and revocation alike', async () => {
    const key = await generateSigningKey('ES256', new Date());
    const provider = resolved({ grantType: 'authorization_code', clientId: 'app', clientAuthMethod: 'private_key_jwt' }, key, 'a-secret-never-sent');
    await refreshGrant(provider, 'rt', () => new Date());
    await revokeAtProvider(provider, 'rt', 'refresh_token');
    const [refresh, revoke] = received.slice(-2);
    for (const [sent, endpoint] of [
      [refresh, '/token'],
      [revoke, '/revoke'],
    ] as const) {
      expect(sent.client_assertion_type).toBe('urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
      expect(sent).not.toHaveProperty('client_secret');
      expect(sent).not.toHaveProperty('authorization');
      expect(sent.client_id).toBe('app');
      expect(decodeProtectedHeader(sent.client_assertion)).toMatchObject({ alg: 'ES256', kid: key.stored.kid });
      await jwtVerify(sent.client_assertion, jwks(key), { issuer: 'app', subject: 'app', audience: `${url}${endpoint}` });
    }
  });

  it('a given key: PEM or JWK, kid as given, refused when it is public, too small or does not fit the algorithm', async () => {
    const generated = await generateSigningKey('RS256', new Date());
    const imported = await importSigningKey(generated.privatePem.replace(/\n/g, '\\n'), null, 'key-1', new Date());
    expect(imported.stored).toMatchObject({ kid: 'key-1', alg: 'RS256', generated: false });
    expect(imported.stored.publicJwk).not.toHaveProperty('d');
    const jwk = createPrivateKey(generated.privatePem).export({ format: 'jwk' });
    expect((await importSigningKey(JSON.stringify({ ...jwk, kid: 'from-jwk' }), 'PS256', null, new Date())).stored).toMatchObject({
      kid: 'from-jwk',
      alg: 'PS256',
    });
    const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publicJwk } = jwk;
    await expect(importSigningKey(JSON.stringify(publicJwk), null, null, new Date())).rejects.toThrow(/no private part/);
    await expect(importSigningKey(generated.privatePem, 'ES256', null, new Date())).rejects.toThrow(/cannot sign ES256/);
    await expect(importSigningKey('not a key', null, null, new Date())).rejects.toThrow(/must be a private key/);
  });
});
