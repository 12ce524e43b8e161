import { Events } from '@tessera/contracts';
import { eventually, FakeOAuthProvider } from '@tessera/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedPlatform, type SharedPlatform } from '../support/shared-platform.js';

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

type View = Record<string, unknown> & { id: string; state: string; providerId: string };

/** This file's providers: the shared platform lists other files' tokens too. */
const mine = new Set<string>();

async function provider(fields: Record<string, unknown>): Promise<string> {
  const created = await p.http<{ id: string }>('POST', '/admin/providers', {
    grantType: 'client_credentials',
    clientId: 'broker',
    clientSecret: 'fake-secret',
    tokenUrl: `${fake.url}/token`,
    ...fields,
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  mine.add(created.body.id);
  return created.body.id;
}

describe('/admin/tokens', () => {
  it('creates a client_credentials token that is fetched when created, encrypted at rest and never shown by /admin', async () => {
    const providerId = await provider({ name: 'cc-provider', scopes: ['read', 'write'], scopeSeparator: ',' });
    const created = await p.http<View>('POST', '/admin/tokens', { name: 'cc-token', providerId, baseUrl: `${fake.url}/api` });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'cc-token',
      state: 'valid',
      active: true,
      tokenType: 'Bearer',
      expiresAt: expect.any(String),
      lastMessage: null,
    });

    const used = await p.http<Record<string, string>>('GET', '/tokens/cc-token');
    expect(used.status).toBe(200);
    expect(Object.keys(used.body).sort()).toEqual(['access_token', 'expires_at', 'scope', 'token_type']);
    expect(used.body.token_type).toBe('Bearer');
    expect(fake.accessTokens.has(used.body.access_token)).toBe(true);
    // Client authentication is HTTP Basic by default; scopes go with the provider's own separator.
    expect(fake.tokenRequests.at(-1)).toMatchObject({
      params: { grant_type: 'client_credentials', scope: 'read,write' },
      authorization: expect.stringMatching(/^Basic /),
    });

    const view = await p.http<View>('GET', `/admin/tokens/${created.body.id}`);
    expect(view.body.state).toBe('valid');
    expect(view.text).not.toContain(used.body.access_token);
    const [row] = await p.db.query<{ access_token_sealed: string }>('SELECT access_token_sealed FROM broker.outbound_token WHERE id = $1', [created.body.id]);
    expect(row.access_token_sealed).toMatch(/^v1\./);
    expect(row.access_token_sealed).not.toContain(used.body.access_token);

    // A second use within the lifetime is served from the store, not fetched again.
    const requests = fake.tokenRequests.length;
    expect((await p.http<Record<string, string>>('GET', '/tokens/cc-token')).body.access_token).toBe(used.body.access_token);
    expect(fake.tokenRequests.length).toBe(requests);
  });

  it('fetches a password-grant token, requires its credentials, and keeps the password write-only', async () => {
    const providerId = await provider({ name: 'pw-provider', grantType: 'password', clientAuthMethod: 'client_secret_post' });
    const missing = await p.http<{ fields: Record<string, string[]> }>('POST', '/admin/tokens', { name: 'pw-token', providerId });
    expect(missing.status).toBe(400);
    expect(Object.keys(missing.body.fields).sort()).toEqual(['password', 'username']);
    const created = await p.http<View>('POST', '/admin/tokens', { name: 'pw-token', providerId, username: 'ops', password: 'correct horse' });
    expect(created.body).toMatchObject({ username: 'ops', hasPassword: true });
    expect(created.text).not.toContain('correct horse');
    expect((await p.http('GET', '/tokens/pw-token')).status).toBe(200);
    expect(fake.tokenRequests.at(-1)!.params).toMatchObject({
      grant_type: 'password',
      username: 'ops',
      password: 'correct horse',
      client_id: 'broker',
      client_secret: 'fake-secret',
    });

    // With a refresh token it refreshes; when that refresh token is dead, it logs in again with the password.
    expect((await p.http<View>('POST', `/admin/tokens/${created.body.id}/refresh`)).body.state).toBe('valid');
    expect(fake.tokenRequests.at(-1)!.params).toMatchObject({ grant_type: 'refresh_token' });
    fake.refreshTokens.clear();
    const requests = fake.tokenRequests.length;
    expect((await p.http<View>('POST', `/admin/tokens/${created.body.id}/refresh`)).body).toMatchObject({ state: 'valid', lastMessage: null });
    expect(fake.tokenRequests.slice(requests).map((r) => r.params.grant_type)).toEqual(['refresh_token', 'password']);
  });

  it('names a missing {{variable}} with 400 and URL-encodes the value it fills in', async () => {
    const providerId = await provider({ name: 'account-provider', tokenUrl: `${fake.url}/token/{{account}}` });
    const missing = await p.http<{ fields: Record<string, string[]> }>('POST', '/admin/tokens', { name: 'acct', providerId });
    expect(missing.status).toBe(400);
    expect(missing.body.fields).toHaveProperty(['variables.account']);
    const created = await p.http<View>('POST', '/admin/tokens', { name: 'acct', providerId, variables: { account: 'acme/eu west' } });
    expect(created.status).toBe(201);
    expect((await p.http('GET', '/tokens/acct')).status).toBe(200);
    expect(fake.tokenRequests.at(-1)!.path).toBe('/token/acme%2Feu%20west');
    const cleared = await p.http('PATCH', `/admin/tokens/${created.body.id}`, { variables: {} });
    expect(cleared.status).toBe(400);
  });

  it('patches active, scopes and prompt; an inactive token is refused to callers', async () => {
    const providerId = await provider({ name: 'patch-provider' });
    const { body: token } = await p.http<View>('POST', '/admin/tokens', { name: 'patchable', providerId });
    const patched = await p.http<View>('PATCH', `/admin/tokens/${token.id}`, { active: false, scopes: ['only'], prompt: 'consent' });
    expect(patched.body).toMatchObject({ active: false, state: 'inactive', scopes: ['only'], prompt: 'consent' });
    const refused = await p.http<{ message: string }>('GET', '/tokens/patchable');
    expect(refused.status).toBe(409);
    expect(refused.body.message).toContain('inactive');
    // Re-activated, it is fetched again at once, for its new scopes.
    expect((await p.http<View>('PATCH', `/admin/tokens/${token.id}`, { active: true })).body.state).toBe('valid');
    expect((await p.http('PATCH', `/admin/tokens/${token.id}`, { state: 'valid' })).status).toBe(400);
    expect((await p.http('GET', '/tokens/patchable')).status).toBe(200);
    expect(fake.tokenRequests.at(-1)!.params.scope).toBe('only');
  });

  it('refreshes on request, revokes at the provider and forgets the tokens, publishing events without secrets', async () => {
    const providerId = await provider({ name: 'revocable', revocationUrl: `${fake.url}/revoke` });
    const { body: token } = await p.http<View>('POST', '/admin/tokens', { name: 'revocable-token', providerId });
    const first = (await p.http<Record<string, string>>('GET', '/tokens/revocable-token')).body.access_token;
    const refreshed = await p.http<View>('POST', `/admin/tokens/${token.id}/refresh`);
    expect(refreshed.body.state).toBe('valid');
    const second = (await p.http<Record<string, string>>('GET', '/tokens/revocable-token')).body.access_token;
    expect(second).not.toBe(first);
    await p.events.waitFor((e) => e.type === Events.outboundTokenRefreshed && (e.data as { tokenId: string }).tokenId === token.id);

    const revoked = await p.http<View>('POST', `/admin/tokens/${token.id}/revoke`);
    expect(revoked.body).toMatchObject({ state: 'revoked', expiresAt: null });
    expect(fake.revocations.at(-1)!.params).toEqual({ token: second, token_type_hint: 'access_token' });
    const [row] = await p.db.query('SELECT access_token_sealed, refresh_token_sealed FROM broker.outbound_token WHERE id = $1', [token.id]);
    expect(row).toEqual({ access_token_sealed: null, refresh_token_sealed: null });
    expect((await p.http('GET', '/tokens/revocable-token')).status).toBe(409);
    const event = await p.events.waitFor((e) => e.type === Events.outboundTokenRevoked && (e.data as { tokenId: string }).tokenId === token.id);
    expect(event.data).toEqual({ tokenId: token.id, name: 'revocable-token', revokedAtProvider: true });
    expect(JSON.stringify(p.events.events)).not.toContain(second);
    expect(JSON.stringify(p.events.events)).not.toContain(first);
  });

  it('rejects bad token input with 400 per field and unknown tokens with 404', async () => {
    const bad = await p.http<{ fields: Record<string, string[]> }>('POST', '/admin/tokens', {
      name: 'x y',
      providerId: 'nope',
      variables: { a: 1 },
      accessToken: 'sneaky',
    });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.fields).sort()).toEqual(['accessToken', 'name', 'providerId', 'variables']);
    expect((await p.http('GET', '/tokens/no-such-token')).status).toBe(404);
    expect((await p.http('POST', '/admin/tokens/00000000-0000-4000-8000-000000000000/refresh')).status).toBe(404);
  });

  it('lists tokens by state', async () => {
    const inState = async (state: string) => {
      const { items } = (await p.http<{ items: View[] }>('GET', `/admin/tokens?state=${state}&limit=500`)).body;
      expect(items.every((t) => t.state === state)).toBe(true);
      return items.filter((t) => mine.has(t.providerId));
    };
    expect((await inState('revoked')).map((t) => t.name)).toEqual(['revocable-token']);
    await eventually(async () => (await inState('valid')).length >= 3);
  });
});
