import { FakeOAuthProvider } from '@tessera/testing';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedPlatform, type SharedPlatform } from '../support/shared-platform.js';

/**
 * "Write-only" secrets stay write-only: re-pointing any URL a secret is sent to at another
 * origin, without re-entering the secret, clears it (ADR 0015). A server on the new origin records everything it
 * gets; none of it may hold a secret entered for the old one.
 */
const CLIENT_SECRET = 'provider-secret-9XkQ2';
const PASSWORD = 'correct horse';
let p: SharedPlatform;
let fake: FakeOAuthProvider;
let attacker: Server;
let attackerUrl = '';
const received: string[] = [];

beforeAll(async () => {
  fake = await new FakeOAuthProvider().start();
  attacker = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      received.push(`${req.method} ${req.url}\n${JSON.stringify(req.headers)}\n${body}`);
      res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"invalid_grant"}');
    });
  });
  await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
  attackerUrl = `http://localhost:${(attacker.address() as AddressInfo).port}`;
  p = await sharedPlatform();
});
afterAll(async () => {
  await p?.stop();
  await fake?.stop();
  attacker?.closeAllConnections();
  await new Promise((resolve) => attacker?.close(resolve));
});

interface TokenView {
  id: string;
  state: string;
  hasPassword: boolean;
  lastMessage: string | null;
}

/** A password-grant token holding an access token, a refresh token and the password, its provider holding a secret. */
async function loadedToken(
  name: string,
  providerExtra: object = {},
  tokenExtra: object = {},
): Promise<{ providerId: string; tokenId: string; secrets: string[] }> {
  const provider = await p.http<{ id: string }>('POST', '/admin/providers', {
    name: `p-${name}`,
    grantType: 'password',
    clientId: 'client-one',
    clientSecret: CLIENT_SECRET,
    tokenUrl: `${fake.url}/token`,
    revocationUrl: `${fake.url}/revoke`,
    ...providerExtra,
  });
  expect(provider.status, JSON.stringify(provider.body)).toBe(201);
  const token = await p.http<TokenView>('POST', '/admin/tokens', {
    name,
    providerId: provider.body.id,
    username: 'alice',
    password: PASSWORD,
    baseUrl: `${fake.url}/api`,
    ...tokenExtra,
  });
  expect(token.status, JSON.stringify(token.body)).toBe(201);
  const access = (await p.http<{ access_token: string }>('GET', `/tokens/${name}`)).body.access_token;
  const refresh = [...fake.refreshTokens.keys()].at(-1)!;
  return { providerId: provider.body.id, tokenId: token.body.id, secrets: [CLIENT_SECRET, PASSWORD, access, refresh] };
}

/** Everything that would make the broker send a token's secrets: refresh, use through the proxy, revocation. */
async function exercise(name: string, tokenId: string): Promise<void> {
  await p.http('POST', `/admin/tokens/${tokenId}/refresh`);
  await p.http('GET', `/tokens/${name}`);
  await fetch(`${p.url}/proxy/${name}/x`, { headers: await p.authHeaders() });
  await p.http('POST', `/admin/tokens/${tokenId}/revoke`);
}

function expectNoneReceived(secrets: string[]): void {
  const all = received.join('\n');
  for (const secret of secrets) {
    for (const form of [
      secret,
      encodeURIComponent(secret),
      encodeURIComponent(secret).replace(/%20/g, '+'),
      Buffer.from(`client-one:${secret}`).toString('base64'),
    ])
      expect(all).not.toContain(form);
  }
}

describe('re-pointing a URL a secret is sent to', () => {
  it.each(['tokenUrl', 'refreshUrl', 'revocationUrl'])(
    "PATCHing the provider's %s to another origin clears what was entered for the old one",
    async (field) => {
      const { providerId, tokenId, secrets } = await loadedToken(`moved-${field.toLowerCase()}`);
      const patched = await p.http<{ hasClientSecret: boolean }>('PATCH', `/admin/providers/${providerId}`, { [field]: `${attackerUrl}/${field}` });
      expect(patched.status).toBe(200);
      expect(patched.body.hasClientSecret).toBe(false);
      const view = (await p.http<TokenView>('GET', `/admin/tokens/${tokenId}`)).body;
      expect(view.lastMessage).toMatch(new RegExp(`Cleared the .*${field}.* moved to another origin`));
      await exercise(`moved-${field.toLowerCase()}`, tokenId);
      expectNoneReceived(secrets);
    },
  );

  it('keeps a secret re-entered in the same request (it was entered for the new origin) but not the old tokens', async () => {
    const { providerId, tokenId, secrets } = await loadedToken('reentered');
    const patched = await p.http<{ hasClientSecret: boolean }>('PATCH', `/admin/providers/${providerId}`, {
      tokenUrl: `${attackerUrl}/token`,
      clientSecret: 'a-secret-for-the-new-origin',
    });
    expect(patched.body.hasClientSecret).toBe(true);
    expect((await p.http<TokenView>('GET', `/admin/tokens/${tokenId}`)).body.hasPassword).toBe(false);
    await exercise('reentered', tokenId);
    expectNoneReceived(secrets);
  });

  it('a move within the same origin keeps everything', async () => {
    const { providerId, tokenId } = await loadedToken('same-origin');
    const patched = await p.http<{ hasClientSecret: boolean }>('PATCH', `/admin/providers/${providerId}`, { tokenUrl: `${fake.url}/token/v2` });
    expect(patched.body.hasClientSecret).toBe(true);
    expect((await p.http<TokenView>('GET', `/admin/tokens/${tokenId}`)).body).toMatchObject({ state: 'valid', hasPassword: true, lastMessage: null });
  });

  it("a token's variables that move its provider's URLs or its baseUrl clear the token's secrets; a password given in the same request is kept", async () => {
    const fakePort = new URL(fake.url).port;
    const attackerPort = new URL(attackerUrl).port;
    const { tokenId, secrets } = await loadedToken(
      'variables',
      { tokenUrl: 'http://127.0.0.1:{{port}}/token', revocationUrl: null },
      { variables: { port: fakePort, api: fakePort }, baseUrl: 'http://127.0.0.1:{{api}}/api' },
    );
    expect(secrets[2]).toMatch(/^at-/);
    const moved = await p.http<TokenView>('PATCH', `/admin/tokens/${tokenId}`, { variables: { port: fakePort, api: attackerPort } });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect(moved.body.lastMessage).toMatch(/Cleared the access token: baseUrl moved/);
    await fetch(`${p.url}/proxy/variables/x`, { headers: await p.authHeaders() });
    const again = await p.http<TokenView>('PATCH', `/admin/tokens/${tokenId}`, { variables: { port: attackerPort, api: attackerPort } });
    expect(again.body).toMatchObject({ hasPassword: false });
    expect(again.body.lastMessage).toMatch(/Cleared the refresh token, password: .*tokenUrl.* moved to another origin; enter the password again/);
    await exercise('variables', tokenId);
    // The client secret is the template's: a URL whose authority holds a variable sends it wherever the variables say (ADR 0015).
    expectNoneReceived(secrets.slice(1));
    const reentered = await p.http<TokenView>('PATCH', `/admin/tokens/${tokenId}`, { variables: { port: fakePort, api: fakePort }, password: PASSWORD });
    expect(reentered.body.hasPassword).toBe(true);
  });

  it("PATCHing an instance's baseUrl to another origin forgets its stored password unless given again", async () => {
    const instance = await p.http<{ id: string }>('POST', '/admin/instances', { name: 'peer-two', baseUrl: fake.url });
    const withPassword = await p.http('PATCH', `/admin/instances/${instance.body.id}`, {
      auth: { type: 'password', username: 'admin', password: 'instance-password-77' },
    });
    expect(withPassword.body).toMatchObject({ auth: { type: 'password', username: 'admin' } });
    const moved = await p.http<{ auth: { type: string } }>('PATCH', `/admin/instances/${instance.body.id}`, { baseUrl: attackerUrl });
    expect(moved.body.auth).toEqual({ type: 'none' });
    expect((await fetch(`${p.url}/proxy/instances/peer-two/api/x`, { headers: await p.authHeaders() })).status).toBe(409);
    expectNoneReceived(['instance-password-77', Buffer.from('admin:instance-password-77').toString('base64')]);
    const again = await p.http<{ auth: { type: string } }>('PATCH', `/admin/instances/${instance.body.id}`, {
      baseUrl: fake.url,
      auth: { type: 'password', username: 'admin', password: 'instance-password-77' },
    });
    expect(again.body.auth).toEqual({ type: 'password', username: 'admin' });
    const within = await p.http<{ auth: { type: string } }>('PATCH', `/admin/instances/${instance.body.id}`, { baseUrl: `${fake.url}/v2` });
    expect(within.body.auth).toEqual({ type: 'password', username: 'admin' });
  });
});
