import { createTestDatabase, eventually, FakeOAuthProvider, type TestDatabase } from '@tessera/testing';
import { exportJWK, generateKeyPair } from 'jose';
import { randomBytes } from 'node:crypto';
import * as oauth4 from 'oauth4webapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSecuredNats, startSecuredPlatform, type SecuredNats, type SecuredPlatform } from '../support/secured-nats.js';
import { ADMIN_PASSWORD, basic, form } from '../support/test-platform.js';
import { AdminBrowser } from '../support/admin-browser.js';

/**
 * The platform end to end on a secured nats-server of this test's own: every service connects with its own
 * generated credential (TESSERA_REQUIRE_SECURE_BUS on), and two platforms live in two accounts of the one server.
 */
let nats: SecuredNats;
let fake: FakeOAuthProvider;
const dbs: TestDatabase[] = [];
let alphaCore: SecuredPlatform;
let alphaBroker: SecuredPlatform | undefined;
let beta: SecuredPlatform;
const keys = { alpha: randomBytes(32).toString('base64'), beta: randomBytes(32).toString('base64') };

beforeAll(async () => {
  nats = await startSecuredNats({ prefixes: ['alpha', 'beta'] });
  fake = await new FakeOAuthProvider().start();
  const [alphaDb, betaDb] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  dbs.push(alphaDb, betaDb);
  [alphaCore, beta] = await Promise.all([
    startSecuredPlatform(nats, {
      prefix: 'alpha',
      db: alphaDb,
      services: ['auth-server', 'integrations-registry', 'gateway'],
      env: { TESSERA_ENCRYPTION_KEY: keys.alpha },
    }),
    startSecuredPlatform(nats, { prefix: 'beta', db: betaDb, env: { TESSERA_ENCRYPTION_KEY: keys.beta } }),
  ]);
  alphaBroker = await startAlphaBroker();
});
afterAll(async () => {
  await alphaBroker?.stop();
  await Promise.all([alphaCore?.stop(), beta?.stop()]);
  await fake?.stop();
  await nats?.stop();
  await Promise.all(dbs.map((db) => db.drop()));
});

// The broker builds its OAuth callback from the issuer: the one alpha's gateway answers at.
const startAlphaBroker = () =>
  startSecuredPlatform(nats, {
    prefix: 'alpha',
    db: dbs[0],
    services: ['outbound-token-broker'],
    env: { TESSERA_ENCRYPTION_KEY: keys.alpha, TESSERA_ISSUER: alphaCore.url },
  });

async function oauth(platform: SecuredPlatform, path: string, params: Record<string, string>, client: { applicationId: string; appSecret: string }) {
  const { body, headers } = form(params);
  const response = await fetch(`${platform.url}${path}`, {
    method: 'POST',
    body,
    headers: { ...headers, authorization: basic(client.applicationId, client.appSecret) },
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : {}) as Record<string, string> };
}

describe('the platform on a secured bus', () => {
  it('a durable consumer catches up, after a restart, on the event it missed', async () => {
    await alphaBroker!.stop();
    const registered = await alphaCore.http<{ id: string }>('POST', '/admin/instances', { name: 'acme', baseUrl: 'https://acme.example.com' });
    expect(registered.status).toBe(201);
    alphaBroker = await startAlphaBroker();
    await eventually(async () => (await dbs[0].query('SELECT 1 FROM broker.peer_instance WHERE instance_id = $1', [registered.body.id])).length === 1, 5_000);
  });

  it("issues and refreshes client_credentials tokens, and a revocation reaches the gateway's verifier", async () => {
    const created = await alphaCore.http<{ applicationId: string; appSecret: string }>('POST', '/admin/integrations', {
      name: 'ops',
      permissions: ['*:platform=admin'],
    });
    expect(created.status).toBe(201);
    const issued = await oauth(alphaCore, '/oauth/token', { grant_type: 'client_credentials' }, created.body);
    expect(issued.status, JSON.stringify(issued.body)).toBe(200);
    const refreshed = await oauth(alphaCore, '/oauth/token', { grant_type: 'refresh_token', refresh_token: issued.body.refresh_token }, created.body);
    expect(refreshed.status, JSON.stringify(refreshed.body)).toBe(200);
    expect(refreshed.body.access_token).not.toBe(issued.body.access_token);

    const asIntegration = () => fetch(`${alphaCore.url}/admin/integrations`, { headers: { authorization: `Bearer ${refreshed.body.access_token}` } });
    expect((await asIntegration()).status).toBe(200);
    expect((await oauth(alphaCore, '/oauth/revoke', { token: refreshed.body.access_token }, created.body)).status).toBe(200);
    await eventually(async () => (await asIntegration()).status === 401, 3_000);
  });

  it('private_key_jwt and DPoP take their jtis in the replay caches the secured bus lets each service have', async () => {
    const key = await generateKeyPair('ES256');
    const created = await alphaCore.http<{ applicationId: string }>('POST', '/admin/integrations', {
      name: 'keys-only',
      permissions: ['*:platform=admin'],
      tokenEndpointAuthMethod: 'private_key_jwt',
      jwks: { keys: [{ ...(await exportJWK(key.publicKey)), kid: 'k' }] },
    });
    expect(created.status).toBe(201);
    const client: oauth4.Client = { client_id: created.body.applicationId };
    const issuer = new URL(alphaCore.config.issuer);
    const insecure = { [oauth4.allowInsecureRequests]: true };
    const as = await oauth4.processDiscoveryResponse(issuer, await oauth4.discoveryRequest(issuer, { algorithm: 'oauth2', ...insecure }));
    const DPoP = oauth4.DPoP(client, await oauth4.generateKeyPair('ES256'));
    const request = () => oauth4.clientCredentialsGrantRequest(as, client, oauth4.PrivateKeyJwt({ key: key.privateKey, kid: 'k' }), {}, { DPoP, ...insecure });
    const issued = await oauth4.processClientCredentialsResponse(as, client, await request()).catch(async (error: unknown) => {
      if (!oauth4.isDPoPNonceError(error)) throw error;
      return oauth4.processClientCredentialsResponse(as, client, await request());
    });
    expect(issued.token_type).toBe('dpop');
    const whoami = await oauth4.protectedResourceRequest(issued.access_token, 'GET', new URL(`${alphaCore.url}/api/whoami`), undefined, undefined, {
      DPoP,
      ...insecure,
    });
    expect(whoami.status).toBe(200);
  });

  it('refreshes an outbound token on demand and hands it out by name', async () => {
    const provider = await alphaCore.http<{ id: string }>('POST', '/admin/providers', {
      name: 'cc',
      grantType: 'client_credentials',
      clientId: 'broker',
      clientSecret: 'fake-secret',
      tokenUrl: `${fake.url}/token`,
    });
    expect(provider.status, JSON.stringify(provider.body)).toBe(201);
    const token = await alphaCore.http<{ id: string }>('POST', '/admin/tokens', { name: 'cc-token', providerId: provider.body.id });
    expect(token.status).toBe(201);
    const requests = fake.tokenRequests.length;
    const refreshed = await alphaCore.http<{ state: string }>('POST', `/admin/tokens/${token.body.id}/refresh`);
    expect(refreshed.status, JSON.stringify(refreshed.body)).toBe(200);
    expect(fake.tokenRequests.length).toBe(requests + 1);
    expect((await alphaCore.http<{ state: string }>('GET', `/admin/tokens/${token.body.id}`)).body.state).toBe('valid');
    const used = await alphaCore.http<{ access_token: string }>('GET', '/tokens/cc-token');
    expect(used.status).toBe(200);
    expect(fake.accessTokens.has(used.body.access_token)).toBe(true);
  });

  it('P2PI between two platforms in two accounts of one server: alpha calls beta with OAuth', async () => {
    const alphaOnBeta = await beta.http<{ id: string }>('POST', '/admin/instances', { name: 'alpha', baseUrl: alphaCore.url });
    const integration = (
      await beta.http<{ id: string; applicationId: string; appSecret: string }>('POST', `/admin/instances/${alphaOnBeta.body.id}/integration`)
    ).body;
    const betaOnAlpha = (await alphaCore.http<{ id: string }>('POST', '/admin/instances', { name: 'beta', baseUrl: beta.url })).body;
    const clientApp = await alphaCore.http<{ id: string }>('POST', `/admin/instances/${betaOnAlpha.id}/client-app`, {
      clientId: integration.applicationId,
      clientSecret: integration.appSecret,
    });
    expect(clientApp.status, JSON.stringify(clientApp.body)).toBe(201);
    expect((await alphaCore.http('PATCH', `/admin/instances/${betaOnAlpha.id}`, { auth: { type: 'oauth', clientAppId: clientApp.body.id } })).status).toBe(200);

    const { body, headers } = await alphaCore.http<{ authorizationUrl: string }>('POST', `/admin/instances/${betaOnAlpha.id}/authorize`);
    const browser = new AdminBrowser();
    // The cookie that binds the authorization's state to the admin's browser (the console's fetch receives it).
    browser.keep(headers);
    const loginPage = await (await browser.get(body.authorizationUrl)).text();
    expect(loginPage).toContain('Sign in to Tessera');
    const consentPage = await (await browser.submit(beta.url, loginPage, { action: 'login', username: 'admin', password: ADMIN_PASSWORD })).text();
    const approved = await browser.submit(beta.url, consentPage, { action: 'approve' });
    expect(approved.status).toBe(303);
    expect((await browser.get(approved.headers.get('location')!)).status).toBe(200);
    await eventually(
      async () => (await alphaCore.http<{ token: { state: string } | null }>('GET', `/admin/instances/${betaOnAlpha.id}`)).body.token?.state === 'valid',
      5_000,
    );

    const whoami = await alphaCore.http<{ clientId: string }>('GET', '/proxy/instances/beta/api/whoami');
    expect(whoami.status).toBe(200);
    expect(whoami.body.clientId).toBe(integration.applicationId);
  });

  it('no service met a refused NATS operation along the way', () => {
    for (const platform of [alphaCore, alphaBroker!, beta]) expect(platform.errors.join('\n')).not.toMatch(/refused|Permissions Violation|Authorization/i);
  });
});
