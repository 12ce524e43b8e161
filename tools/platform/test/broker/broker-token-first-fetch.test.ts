import { eventually, FakeOAuthProvider } from '@tessera/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedPlatform, type SharedPlatform } from '../support/shared-platform.js';

/** What a new client_credentials token tells the admin, and how it gets well again once its provider is fixed. */
let p: SharedPlatform;
let fake: FakeOAuthProvider;
beforeAll(async () => {
  fake = await new FakeOAuthProvider().start();
  p = await sharedPlatform();
});
afterAll(async () => {
  await p?.stop();
  await fake?.stop();
});

type View = { id: string; state: string; expiresAt: string | null; lastMessage: string | null; lastRefreshedAt: string | null };

async function provider(name: string): Promise<string> {
  const created = await p.http<{ id: string }>('POST', '/admin/providers', {
    name,
    grantType: 'client_credentials',
    clientId: 'broker',
    clientSecret: 'first-secret',
    tokenUrl: `${fake.url}/token`,
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body.id;
}

describe('a new client_credentials outbound token', () => {
  it('is fetched when it is created: it starts valid, with its expiry, not expired', async () => {
    const created = await p.http<View>('POST', '/admin/tokens', { name: 'fetched-at-once', providerId: await provider('at-once') });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ state: 'valid', lastMessage: null, lastRefreshedAt: expect.any(String) });
    expect(Date.parse(created.body.expiresAt!)).toBeGreaterThan(Date.now());
  });

  it('refused for its client secret, says to fix the provider (nothing to re-authorize), and recovers by itself once the provider is saved', async () => {
    const providerId = await provider('wrong-secret');
    fake.behaviour.failNext = { count: 1, status: 401, body: '{"error":"invalid_client","error_description":"client authentication failed"}' };
    const created = await p.http<View>('POST', '/admin/tokens', { name: 'refused', providerId });
    expect(created.body.state).toBe('refresh_failed');
    expect(created.body.lastMessage).toMatch(
      /invalid_client.*refused its client ID or secret: correct them on the provider; the token is fetched again by itself/,
    );
    const used = await p.http<{ message: string }>('GET', '/tokens/refused');
    expect(used.status).toBe(409);
    expect(used.body.message).toMatch(/cannot be fetched/);
    expect(used.body.message).not.toMatch(/re-authoriz/);

    expect((await p.http('PATCH', `/admin/providers/${providerId}`, { clientSecret: 'corrected-secret' })).status).toBe(200);
    const recovered = await eventually(async () => {
      const { body } = await p.http<View>('GET', `/admin/tokens/${created.body.id}`);
      return body.state === 'valid' ? body : undefined;
    }, 5000);
    expect(recovered.lastMessage).toBeNull();
    expect((await p.http('GET', '/tokens/refused')).status).toBe(200);
  });
});
