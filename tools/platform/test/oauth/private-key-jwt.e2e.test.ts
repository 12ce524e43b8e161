import { systemClock, type Clock } from '@tessera/observability';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { createServer, type Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import * as oauth from 'oauth4webapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, startTestPlatform, type TestPlatform } from '../support/test-platform.js';

/**
 * private_key_jwt (RFC 7523 §2.2) as an independent client does it: oauth4webapi's PrivateKeyJwt signs the assertion,
 * our token, introspection and revocation endpoints check it.
 */
let t: TestPlatform;
let admin: string;
let as: oauth.AuthorizationServer;
let jwksServer: Server;
let published: { keys: unknown[] } = { keys: [] };
let jwksUri: string;
const insecure = { [oauth.allowInsecureRequests]: true };
// The platform's clock, moved forward past the key set's refetch floor instead of waiting it out.
let offset = 0;
const clock: Clock = { now: () => new Date(Date.now() + offset), uuid: systemClock.uuid };

async function api(method: string, path: string, body?: unknown) {
  return fetch(`${t.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${admin}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

async function keyPair(kid: string) {
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  return { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' } };
}

async function createIntegration(body: Record<string, unknown>) {
  const response = await api('POST', '/admin/integrations', { permissions: ['*:orgs=read'], ...body });
  expect(response.status, await response.clone().text()).toBe(201);
  return json<{ id: string; applicationId: string; appSecret?: string; config?: unknown; tokenEndpointAuthMethod: string }>(response);
}

const formPost = (path: string, params: Record<string, string>) =>
  fetch(`${t.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(params).toString() });

beforeAll(async () => {
  jwksServer = createServer((_request, response) => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(published)));
  await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
  jwksUri = `http://127.0.0.1:${(jwksServer.address() as { port: number }).port}/jwks.json`;
  // The client's JWKS listens on loopback, which the egress policy refuses unless listed.
  t = await startTestPlatform({ env: { TESSERA_EGRESS_ALLOW: '127.0.0.0/8' }, clock });
  admin = await t.adminToken();
  const issuer = new URL(t.config.issuer);
  as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', ...insecure }));
});
afterAll(async () => {
  await t?.stop();
  jwksServer?.close();
});

describe('private_key_jwt', () => {
  it('is announced in the metadata with asymmetric algorithms, for every endpoint that authenticates clients', () => {
    for (const endpoint of ['token_endpoint', 'introspection_endpoint', 'revocation_endpoint']) {
      expect(as[`${endpoint}_auth_methods_supported` as keyof oauth.AuthorizationServer]).toContain('private_key_jwt');
      expect(as[`${endpoint}_auth_signing_alg_values_supported` as keyof oauth.AuthorizationServer]).toContain('ES256');
    }
  });

  it('makes an integration with no secret, and refuses a pasted private key', async () => {
    const key = await keyPair('k1');
    const created = await createIntegration({ name: 'pkjwt-nosecret', tokenEndpointAuthMethod: 'private_key_jwt', jwks: { keys: [key.jwk] } });
    expect(created.tokenEndpointAuthMethod).toBe('private_key_jwt');
    expect(created.appSecret).toBeUndefined();
    expect(created.config).toBeUndefined();
    expect((await api('POST', `/admin/integrations/${created.id}/secret`, {})).status).toBe(409);
    const privateJwk = await exportJWK(key.privateKey);
    const refused = await api('POST', '/admin/integrations', {
      name: 'pkjwt-private',
      permissions: ['*:orgs=read'],
      tokenEndpointAuthMethod: 'private_key_jwt',
      jwks: { keys: [privateJwk] },
    });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(await json(refused))).toMatch(/private member/);
    const neither = await api('POST', '/admin/integrations', {
      name: 'pkjwt-nokeys',
      permissions: ['*:orgs=read'],
      tokenEndpointAuthMethod: 'private_key_jwt',
    });
    expect(neither.status).toBe(400);
  });

  it('client_credentials, refresh, introspection and revocation with oauth4webapi signing the assertions (inline JWKS)', async () => {
    const key = await keyPair('inline-1');
    const created = await createIntegration({ name: 'pkjwt-inline', tokenEndpointAuthMethod: 'private_key_jwt', jwks: { keys: [key.jwk] } });
    const client: oauth.Client = { client_id: created.applicationId };
    const auth = oauth.PrivateKeyJwt({ key: key.privateKey, kid: key.kid });
    const issued = await oauth.processClientCredentialsResponse(
      as,
      client,
      await oauth.clientCredentialsGrantRequest(as, client, auth, { scope: '*:orgs=read' }, insecure),
    );
    expect(issued).toMatchObject({ token_type: 'bearer', scope: '*:orgs=read' });
    const refreshed = await oauth.processRefreshTokenResponse(
      as,
      client,
      await oauth.refreshTokenGrantRequest(as, client, auth, issued.refresh_token!, insecure),
    );
    expect(refreshed.access_token).not.toBe(issued.access_token);
    const introspected = await oauth.processIntrospectionResponse(
      as,
      client,
      await oauth.introspectionRequest(as, client, auth, refreshed.access_token, insecure),
    );
    expect(introspected).toMatchObject({ active: true, client_id: created.applicationId });
    await oauth.processRevocationResponse(await oauth.revocationRequest(as, client, auth, refreshed.access_token, insecure));
    const after = await oauth.processIntrospectionResponse(as, client, await oauth.introspectionRequest(as, client, auth, refreshed.access_token, insecure));
    expect(after.active).toBe(false);
  });

  it('refuses a replayed assertion, a wrong key, a secret, and an assertion for another audience', async () => {
    const key = await keyPair('inline-2');
    const other = await keyPair('inline-2');
    const created = await createIntegration({ name: 'pkjwt-refusals', tokenEndpointAuthMethod: 'private_key_jwt', jwks: { keys: [key.jwk] } });
    const id = created.applicationId;
    const assertion = (privateKey: CryptoKey, aud = t.config.issuer) =>
      new SignJWT({ jti: randomUUID() })
        .setProtectedHeader({ alg: 'ES256', kid: 'inline-2' })
        .setIssuer(id)
        .setSubject(id)
        .setAudience(aud)
        .setIssuedAt()
        .setExpirationTime('1m')
        .sign(privateKey);
    const request = (client_assertion: string) =>
      formPost('/oauth/token', {
        grant_type: 'client_credentials',
        client_id: id,
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion,
      });
    const once = await assertion(key.privateKey);
    expect((await request(once)).status).toBe(200);
    const replayed = await request(once);
    expect(replayed.status).toBe(401);
    expect(await json(replayed)).toMatchObject({ error: 'invalid_client', error_description: expect.stringMatching(/already used/) });
    expect((await request(await assertion(other.privateKey))).status).toBe(401);
    expect((await request(await assertion(key.privateKey, 'https://elsewhere.example.com'))).status).toBe(401);
    expect((await request(await assertion(key.privateKey, `${t.config.issuer}/oauth/token`))).status).toBe(200);
    const withSecret = await formPost('/oauth/token', { grant_type: 'client_credentials', client_id: id, client_secret: 'anything' });
    expect(withSecret.status).toBe(401);
  });

  it('fetches a jwksUri through the egress policy, and again when the client rotates to a kid it has not seen', async () => {
    const first = await keyPair('remote-1');
    published = { keys: [first.jwk] };
    const created = await createIntegration({ name: 'pkjwt-remote', tokenEndpointAuthMethod: 'private_key_jwt', jwksUri });
    const client: oauth.Client = { client_id: created.applicationId };
    const cc = async (key: Awaited<ReturnType<typeof keyPair>>) =>
      oauth.clientCredentialsGrantRequest(as, client, oauth.PrivateKeyJwt({ key: key.privateKey, kid: key.kid }), {}, insecure);
    expect((await cc(first)).status).toBe(200);
    // The client publishes a new key and signs with it at once: the unknown kid makes us fetch the set again.
    const second = await keyPair('remote-2');
    published = { keys: [first.jwk, second.jwk] };
    // Within the refetch floor (30 s) after the first fetch an unknown kid is refused rather than fetched again.
    const early = await cc(second);
    expect(early.status).toBe(401);
    offset += 31_000;
    expect((await cc(second)).status).toBe(200);
  });
});
