import { Subjects } from '@tessera/contracts';
import { BusClient, NatsBus } from '@tessera/messaging';
import { eventually, testLogger } from '@tessera/testing';
import { decodeProtectedHeader, generateKeyPair, SignJWT } from 'jose';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminBrowser } from '../support/admin-browser.js';
import { ADMIN_PASSWORD, form, json, startTestPlatform, type TestPlatform } from '../support/test-platform.js';

/** P2PI without shared secrets: Instance 1 calls Instance 2 with private_key_jwt, Instance 2 holding only its JWKS URL. */
let one: TestPlatform;
let two: TestPlatform;
const admin: Record<string, string> = {};

async function api<T = Record<string, unknown>>(platform: TestPlatform, method: string, path: string, body?: unknown) {
  admin[platform.url] ??= await platform.adminToken();
  const response = await fetch(`${platform.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${admin[platform.url]}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T, headers: response.headers };
}

interface KeyList {
  items: { kid: string; state: string }[];
  jwksUri: string;
}

/** One signed client assertion, as Instance 1's broker gets it from its registry. */
async function signedByOne(clientId: string, audience: string): Promise<string> {
  const bus = new NatsBus({ servers: one.config.natsUrl!, subjectPrefix: one.config.subjectPrefix, name: 'p2pi-pkjwt', logger: testLogger() });
  await bus.connect();
  try {
    return (await new BusClient(bus, 5000).call(Subjects.registry.clientKey.sign, { clientId, audience })).assertion;
  } finally {
    await bus.close();
  }
}

/** Instance 2's token endpoint, asked to redeem a made-up code with this client assertion: who the client is decides the answer. */
async function presentAssertion(assertion: string): Promise<{ status: number; error: string }> {
  const response = await fetch(`${two.url}/oauth/token`, {
    method: 'POST',
    ...form({
      grant_type: 'authorization_code',
      code: randomUUID(),
      redirect_uri: `${one.url}/oauth/callback`,
      code_verifier: 'v'.repeat(43),
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: assertion,
    }),
  });
  return { status: response.status, error: (await json<{ error: string }>(response)).error };
}

beforeAll(async () => {
  [one, two] = await Promise.all([startTestPlatform(), startTestPlatform()]);
});
afterAll(async () => {
  await Promise.all([one?.stop(), two?.stop()]);
});

describe('platform-to-platform trust with private_key_jwt, no secret crossing', () => {
  let integration: { id: string; applicationId: string; appSecret?: string; tokenEndpointAuthMethod: string; jwksUri: string | null };
  let instanceTwo: { id: string };
  const tokenUrl = () => `${two.url}/oauth/token`;

  it('announces its client JWKS in its metadata and publishes only the public keys there', async () => {
    const metadata = await json<Record<string, unknown>>(await fetch(`${one.url}/.well-known/oauth-authorization-server`));
    expect(metadata.tessera_client_jwks_uri).toBe(`${one.url}/oauth/client-jwks`);
    const jwks = await json<{ keys: Record<string, string>[] }>(await fetch(`${one.url}/oauth/client-jwks`));
    expect(jwks.keys.length).toBeGreaterThanOrEqual(1);
    for (const key of jwks.keys) {
      expect(key).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
      expect(key).not.toHaveProperty('d');
    }
  });

  it("Instance 2 registers Instance 1 by its metadata: an integration with private_key_jwt, Instance 1's JWKS URL and no secret", async () => {
    const oneOnTwo = await api<{ id: string }>(two, 'POST', '/admin/instances', { name: 'keyed-1', baseUrl: one.url });
    const created = await api<typeof integration>(two, 'POST', `/admin/instances/${oneOnTwo.body.id}/integration`, {
      tokenEndpointAuthMethod: 'private_key_jwt',
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    integration = created.body;
    expect(integration).toMatchObject({ tokenEndpointAuthMethod: 'private_key_jwt', jwksUri: `${one.url}/oauth/client-jwks` });
    expect(integration.appSecret).toBeUndefined();

    // A platform whose metadata announces no client JWKS (here: an address answering no metadata at all) is refused, with a reason.
    const elsewhere = await api<{ id: string }>(two, 'POST', '/admin/instances', { name: 'keyless', baseUrl: 'http://127.0.0.1:9' });
    const refused = await api<{ fields: Record<string, string[]> }>(two, 'POST', `/admin/instances/${elsewhere.body.id}/integration`, {
      tokenEndpointAuthMethod: 'private_key_jwt',
    });
    expect(refused.status).toBe(400);
    expect(refused.body.fields.tokenEndpointAuthMethod[0]).toMatch(/could not read/);
  });

  it('Instance 1 sets up its client app with the client ID alone, checked at Instance 2 with a signed assertion', async () => {
    const registered = await api<{ id: string }>(one, 'POST', '/admin/instances', { name: 'keyed-2', baseUrl: two.url });
    instanceTwo = registered.body;
    const wrong = await api<{ fields: Record<string, string[]> }>(one, 'POST', `/admin/instances/${instanceTwo.id}/client-app`, { clientId: 'no-such-client' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.fields.clientSecret[0]).toMatch(/private_key_jwt/);

    const clientApp = await api<{ id: string; clientAuthMethod: string; hasClientSecret: boolean }>(
      one,
      'POST',
      `/admin/instances/${instanceTwo.id}/client-app`,
      {
        clientId: integration.applicationId,
      },
    );
    expect(clientApp.status, JSON.stringify(clientApp.body)).toBe(201);
    expect(clientApp.body).toMatchObject({ clientAuthMethod: 'private_key_jwt', hasClientSecret: false });
    // Marked as signed by the platform's client key: no key of its own is made, and none is published for it.
    const stored = await api<{ assertionSigner: string; assertionKeys: unknown[]; jwksUrl: string | null }>(
      one,
      'GET',
      `/admin/providers/${clientApp.body.id}`,
    );
    expect(stored.body).toMatchObject({ assertionSigner: 'platform', assertionKeys: [], jwksUrl: null });
    expect((await fetch(`${one.url}/providers/${clientApp.body.id}/jwks.json`)).status).toBe(404);
    const oauth = await api(one, 'PATCH', `/admin/instances/${instanceTwo.id}`, { auth: { type: 'oauth', clientAppId: clientApp.body.id } });
    expect(oauth.status).toBe(200);
  });

  it('obtains the token through the consent flow and refreshes it, authenticating with assertions only', async () => {
    const { body, headers } = await api<{ authorizationUrl: string }>(one, 'POST', `/admin/instances/${instanceTwo.id}/authorize`);
    const browser = new AdminBrowser();
    browser.keep(headers);
    const loginPage = await (await browser.get(body.authorizationUrl)).text();
    const consentPage = await (await browser.submit(two.url, loginPage, { action: 'login', username: 'admin', password: ADMIN_PASSWORD })).text();
    const approved = await browser.submit(two.url, consentPage, { action: 'approve' });
    expect((await browser.get(approved.headers.get('location')!)).status).toBe(200);
    const record = await eventually(async () => {
      const { body: instance } = await api<{ token: { state: string; tokenId: string } | null }>(one, 'GET', `/admin/instances/${instanceTwo.id}`);
      return instance.token?.state === 'valid' ? instance : undefined;
    });
    const whoami = await api<{ clientId: string }>(one, 'GET', '/proxy/instances/keyed-2/api/whoami');
    expect(whoami.status).toBe(200);
    expect(whoami.body.clientId).toBe(integration.applicationId);

    expect((await api(one, 'POST', `/admin/tokens/${record.token!.tokenId}/refresh`)).status).toBe(200);
    await one.events.waitFor((e) => e.type === 'tessera.events.broker.token.refreshed' && (e.data as { tokenId: string }).tokenId === record.token!.tokenId);
    expect((await api(one, 'GET', '/proxy/instances/keyed-2/api/whoami')).status).toBe(200);
  });

  it("refuses an assertion for Instance 1's client signed by another key, even under Instance 1's key id", async () => {
    const genuine = await signedByOne(integration.applicationId, tokenUrl());
    // The genuine one gets past client authentication: only the made-up code is refused.
    expect(await presentAssertion(genuine)).toEqual({ status: 400, error: 'invalid_grant' });
    const { kid } = decodeProtectedHeader(genuine);
    const { privateKey } = await generateKeyPair('ES256');
    const forge = (headerKid?: string) =>
      new SignJWT({ jti: randomUUID() })
        .setProtectedHeader({ alg: 'ES256', ...(headerKid ? { kid: headerKid } : {}) })
        .setIssuer(integration.applicationId)
        .setSubject(integration.applicationId)
        .setAudience(tokenUrl())
        .setIssuedAt()
        .setExpirationTime('1m')
        .sign(privateKey);
    expect(await presentAssertion(await forge(kid))).toEqual({ status: 401, error: 'invalid_client' });
    expect(await presentAssertion(await forge())).toEqual({ status: 401, error: 'invalid_client' });
    // …and the genuine one is good once.
    expect(await presentAssertion(genuine)).toEqual({ status: 401, error: 'invalid_client' });
  });

  it('rotates its key with overlap: the new key is published before it signs, the old one stays published, and refreshes go on working', async () => {
    const before = await api<KeyList>(one, 'GET', '/admin/client-keys');
    const current = before.body.items.find((key) => key.state === 'current')!;
    // Past Instance 2's floor between JWKS fetches (30 s), so it fetches again on the new kid.
    const rotated = await api<KeyList>(one, 'POST', '/admin/client-keys/rotate', { activateAfterSeconds: 31 });
    expect(rotated.status).toBe(200);
    const next = rotated.body.items.find((key) => key.state === 'next')!;
    expect(next).toBeDefined();
    expect(rotated.body.items.find((key) => key.kid === current.kid)?.state).toBe('current');
    const published = async () => (await json<{ keys: { kid: string }[] }>(await fetch(`${one.url}/oauth/client-jwks`))).keys.map((key) => key.kid);
    expect(await published()).toEqual(expect.arrayContaining([current.kid, next.kid]));
    // Meanwhile the old key signs.
    expect(decodeProtectedHeader(await signedByOne(integration.applicationId, tokenUrl())).kid).toBe(current.kid);

    await eventually(
      async () => (await api<KeyList>(one, 'GET', '/admin/client-keys')).body.items.find((key) => key.kid === next.kid)?.state === 'current',
      40_000,
    );
    const assertion = await eventually(async () => {
      const signed = await signedByOne(integration.applicationId, tokenUrl());
      return decodeProtectedHeader(signed).kid === next.kid ? signed : undefined;
    }, 40_000);
    expect(await presentAssertion(assertion)).toEqual({ status: 400, error: 'invalid_grant' });
    expect(await published()).toEqual(expect.arrayContaining([current.kid, next.kid]));

    // The broker's refresh, signed with the new key, is taken (a refusal would leave the token refresh_failed).
    const { body: instance } = await api<{ token: { tokenId: string } }>(one, 'GET', `/admin/instances/${instanceTwo.id}`);
    const refreshed = await api<{ state: string; lastMessage: string | null; lastRefreshedAt: string }>(
      one,
      'POST',
      `/admin/tokens/${instance.token.tokenId}/refresh`,
    );
    expect(refreshed.status).toBe(200);
    expect(refreshed.body).toMatchObject({ state: 'valid', lastMessage: null });
    expect(Date.now() - Date.parse(refreshed.body.lastRefreshedAt)).toBeLessThan(10_000);
    expect((await api(one, 'GET', '/proxy/instances/keyed-2/api/whoami')).status).toBe(200);
  }, 120_000);
});
