import { Events } from '@tessera/contracts';
import { eventually, FakeOAuthProvider } from '@tessera/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedPlatform, type SharedPlatform } from '../support/shared-platform.js';

/** Provider quirks and failures, against a provider of our own that has all of them. */
let p: SharedPlatform;
let quirky: FakeOAuthProvider;
beforeAll(async () => {
  quirky = await new FakeOAuthProvider({
    nested: true,
    expiresInAsString: true,
    omitRefreshTokenOnRefresh: true,
    refreshGrantParam: 'refresh_grant_type',
  }).start();
  p = await sharedPlatform();
});
afterAll(async () => {
  await p?.stop();
  await quirky?.stop();
});

type View = { id: string; state: string; lastMessage: string | null; expiresAt: string | null; consecutiveFailures: number; lastTransientError: string | null };
const forToken = (id: string) => (e: { data: unknown }) => (e.data as { tokenId: string }).tokenId === id;

async function quirkyCodeToken(name: string): Promise<View> {
  const provider = await p.http<{ id: string }>('POST', '/admin/providers', {
    name: `${name}-provider`,
    grantType: 'authorization_code',
    clientId: 'quirky',
    clientSecret: 'quirky-secret',
    clientAuthMethod: 'client_secret_post',
    authorizationUrl: `${quirky.url}/authorize/{{account}}`,
    tokenUrl: `${quirky.url}/token/{{account}}`,
    refreshUrl: `${quirky.url}/token/{{account}}/renew`,
    accessTokenPath: 'data.auth.token',
    refreshTokenPath: 'data.auth.renew',
    expiresInPath: 'data.auth.ttl',
    refreshGrantParam: 'refresh_grant_type',
    scopes: ['crm.read', 'crm.write'],
    scopeSeparator: ',',
    pkce: false,
    authorizationParams: { access_type: 'offline' },
  });
  expect(provider.status, provider.text).toBe(201);
  const token = await p.http<View>('POST', '/admin/tokens', { name, providerId: provider.body.id, variables: { account: 'acme eu' } });
  const { body, headers } = await p.http<{ authorizationUrl: string }>('POST', `/admin/tokens/${token.body.id}/authorize`);
  expect(body.authorizationUrl).toContain(`${quirky.url}/authorize/acme%20eu?`);
  expect(body.authorizationUrl).toContain('&scope=crm.read,crm.write');
  expect(body.authorizationUrl).toContain('access_type=offline');
  expect(body.authorizationUrl).not.toContain('code_challenge');
  const redirect = await fetch(body.authorizationUrl, { redirect: 'manual' });
  const page = await fetch(redirect.headers.get('location')!, { headers: { cookie: headers.get('set-cookie')!.split(';')[0] } });
  expect(page.status).toBe(200);
  return (await p.http<View>('GET', `/admin/tokens/${token.body.id}`)).body;
}

describe('provider quirks', () => {
  it('reads nested token paths and a string expires_in, refreshes with refresh_grant_type to the re-authenticate URL, and keeps the old refresh token', async () => {
    const token = await quirkyCodeToken('quirky-code');
    expect(token.state).toBe('valid');
    const expiresIn = new Date(token.expiresAt!).getTime() - Date.now();
    expect(expiresIn).toBeGreaterThan(3_590_000);
    expect(expiresIn).toBeLessThanOrEqual(3_600_000);
    expect(quirky.tokenRequests.at(-1)).toMatchObject({
      path: '/token/acme%20eu',
      params: { grant_type: 'authorization_code', client_id: 'quirky', client_secret: 'quirky-secret' },
    });
    const first = (await p.http<{ access_token: string }>('GET', '/tokens/quirky-code')).body.access_token;
    expect(quirky.accessTokens.has(first)).toBe(true);

    for (let i = 0; i < 2; i++) {
      // The provider sends no new refresh token: the second refresh only works if the first one's was kept.
      expect((await p.http<View>('POST', `/admin/tokens/${token.id}/refresh`)).body.state).toBe('valid');
      const request = quirky.tokenRequests.at(-1)!;
      expect(request.path).toBe('/token/acme%20eu/renew');
      expect(request.params).toMatchObject({ refresh_grant_type: 'refresh_token', refresh_token: expect.stringMatching(/^rt-/) });
      expect(request.params).not.toHaveProperty('grant_type');
    }
    expect((await p.http<{ access_token: string }>('GET', '/tokens/quirky-code')).body.access_token).not.toBe(first);
  });
});

describe('failing and slow token endpoints', () => {
  it('counts a transient failure, keeps serving the valid token, retries with backoff and publishes recovered', async () => {
    const token = await quirkyCodeToken('flaky');
    quirky.behaviour.failNext = { count: 2, status: 503, body: '{"error":"temporarily_unavailable"}' };
    const failed = await p.http<View>('POST', `/admin/tokens/${token.id}/refresh`);
    expect(failed.body).toMatchObject({ state: 'valid', consecutiveFailures: 1, lastTransientError: 'token endpoint answered 503: temporarily_unavailable' });
    expect((await p.http('GET', '/tokens/flaky')).status).toBe(200);
    const failedEvent = await p.events.waitFor((e) => e.type === Events.outboundTokenRefreshFailed && forToken(token.id)(e));
    expect(failedEvent.data).toMatchObject({ permanent: false, consecutiveFailures: 1 });
    const recovered = await p.events.waitFor((e) => e.type === Events.outboundTokenRecovered && forToken(token.id)(e), 15_000);
    expect(recovered.data).toMatchObject({ name: 'flaky', failuresBeforeRecovery: 2 });
    expect((await p.http<View>('GET', `/admin/tokens/${token.id}`)).body).toMatchObject({ state: 'valid', consecutiveFailures: 0, lastTransientError: null });
  });

  it("marks a permanent failure refresh_failed with the provider's words, and callers are told to re-authorize", async () => {
    const token = await quirkyCodeToken('dead-grant');
    quirky.behaviour.failNext = { count: 1, status: 400, body: '{"error":"invalid_grant","error_description":"refresh token revoked by user"}' };
    const failed = await p.http<View>('POST', `/admin/tokens/${token.id}/refresh`);
    expect(failed.body).toMatchObject({ state: 'refresh_failed', lastMessage: 'token endpoint answered 400: invalid_grant: refresh token revoked by user' });
    const event = await p.events.waitFor((e) => e.type === Events.outboundTokenRefreshFailed && forToken(token.id)(e));
    expect(event.data).toMatchObject({ permanent: true, error: 'token endpoint answered 400: invalid_grant: refresh token revoked by user' });
    const refused = await p.http<{ message: string }>('GET', '/tokens/dead-grant');
    expect(refused.status).toBe(409);
    expect(refused.body.message).toContain('needs re-authorization');
  });

  it("gives up on a slow token endpoint after the provider's timeout, as a transient failure", async () => {
    const slow = await new FakeOAuthProvider({ delayMs: 1500 }).start();
    try {
      const provider = await p.http<{ id: string }>('POST', '/admin/providers', {
        name: 'slow',
        grantType: 'client_credentials',
        clientId: 'c',
        clientSecret: 's',
        tokenUrl: `${slow.url}/token`,
        timeoutSeconds: 1,
      });
      const token = await p.http<View>('POST', '/admin/tokens', { name: 'slow-token', providerId: provider.body.id });
      const answer = await p.http<{ message: string }>('GET', '/tokens/slow-token');
      expect(answer.status).toBe(503);
      expect(answer.body.message).toContain('did not answer within 1000 ms');
      const view = await eventually(async () => {
        const v = (await p.http<View>('GET', `/admin/tokens/${token.body.id}`)).body;
        return v.consecutiveFailures >= 1 && v;
      });
      expect(view).toMatchObject({ state: 'expired', lastTransientError: 'token endpoint did not answer within 1000 ms' });
      slow.behaviour.delayMs = 0;
      // The scheduler's retry fetches it without anybody asking again.
      await p.events.waitFor((e) => e.type === Events.outboundTokenRecovered && forToken(token.body.id)(e), 15_000);
    } finally {
      await slow.stop();
    }
  });
});
