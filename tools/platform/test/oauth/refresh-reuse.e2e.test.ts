import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, form, json, sharedPlatform, type SharedPlatform } from '../support/shared-platform.js';

/**
 * The refresh-token reuse interval. A rotation whose answer was lost (the gateway, auth-server or NATS
 * went away after the commit) is retried by the client with the same token: within the interval, while the successor
 * is unused, that is a retry and not re-use.
 */
interface Client {
  id: string;
  applicationId: string;
  appSecret: string;
  refreshTokenReuseIntervalSeconds: number;
}
interface Tokens {
  access_token: string;
  refresh_token: string;
}

let t: SharedPlatform;
let admin: string;

async function api(method: string, path: string, body?: unknown) {
  return fetch(`${t.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${admin}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

async function integration(body: Record<string, unknown> = {}): Promise<Client> {
  const response = await api('POST', '/admin/integrations', { name: `reuse-${Math.random().toString(36).slice(2, 8)}`, permissions: ['*:orgs=read'], ...body });
  expect(response.status).toBe(201);
  return json<Client>(response);
}

function token(client: Client, params: Record<string, string>) {
  return fetch(`${t.url}/oauth/token`, {
    method: 'POST',
    body: new URLSearchParams(params).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(client.applicationId, client.appSecret) },
  });
}

async function granted(client: Client): Promise<Tokens> {
  const response = await token(client, { grant_type: 'client_credentials' });
  expect(response.status).toBe(200);
  return json<Tokens>(response);
}

const refresh = (client: Client, refreshToken: string) => token(client, { grant_type: 'refresh_token', refresh_token: refreshToken });

async function refreshed(client: Client, refreshToken: string): Promise<Tokens> {
  const response = await refresh(client, refreshToken);
  expect(response.status, await response.clone().text()).toBe(200);
  return json<Tokens>(response);
}

async function refused(client: Client, refreshToken: string): Promise<string> {
  const response = await refresh(client, refreshToken);
  expect(response.status).toBe(400);
  const body = await json<{ error: string; error_description: string }>(response);
  expect(body.error).toBe('invalid_grant');
  return body.error_description;
}

const introspect = (client: Client, value: string) =>
  fetch(`${t.url}/oauth/introspect`, {
    method: 'POST',
    ...form({ token: value }),
    headers: { ...form({}).headers, authorization: basic(client.applicationId, client.appSecret) },
  }).then((r) => json<Record<string, unknown>>(r));

const whoami = (accessToken: string) => fetch(`${t.url}/api/whoami`, { headers: { authorization: `Bearer ${accessToken}` } }).then((r) => r.status);

beforeAll(async () => {
  t = await sharedPlatform();
  admin = await t.adminToken();
});
afterAll(() => t?.stop());

describe('refresh-token reuse interval', () => {
  it('is 30 s unless set, is validated, and can be changed per integration', async () => {
    expect((await integration()).refreshTokenReuseIntervalSeconds).toBe(30);
    const client = await integration({ refreshTokenReuseIntervalSeconds: 0 });
    expect(client.refreshTokenReuseIntervalSeconds).toBe(0);
    for (const bad of [-1, 3601, 1.5, '30']) {
      const response = await api('PATCH', `/admin/integrations/${client.id}`, { refreshTokenReuseIntervalSeconds: bad });
      expect(response.status).toBe(400);
      expect((await json<{ fields: Record<string, string[]> }>(response)).fields.refreshTokenReuseIntervalSeconds).toBeDefined();
    }
    const changed = await api('PATCH', `/admin/integrations/${client.id}`, { refreshTokenReuseIntervalSeconds: 120 });
    expect(await json(changed)).toMatchObject({ refreshTokenReuseIntervalSeconds: 120 });
  });

  it('a lost answer: retrying with the token just rotated gets a fresh pair and supersedes the unused successor', async () => {
    const client = await integration();
    const first = await granted(client);
    const lost = await refreshed(client, first.refresh_token); // committed, but the client never saw it
    const retried = await refreshed(client, first.refresh_token);
    expect(retried.refresh_token).not.toBe(lost.refresh_token);
    expect(await whoami(retried.access_token)).toBe(200);
    // Introspection agrees with the token endpoint: the superseded successor and the rotated token are not active.
    expect(await introspect(client, lost.refresh_token)).toEqual({ active: false });
    expect(await introspect(client, first.refresh_token)).toEqual({ active: false });
    const live = await introspect(client, retried.refresh_token);
    // token_type is an access token's type (RFC 7662 §2.2, RFC 6749 §7.1): a refresh token has none.
    expect(live).toMatchObject({ active: true });
    expect(live).not.toHaveProperty('token_type');
    // The lost successor is dead, but presenting it is no theft signal: the grant lives on.
    expect(await refused(client, lost.refresh_token)).toMatch(/superseded/);
    const next = await refreshed(client, retried.refresh_token);
    expect(await whoami(next.access_token)).toBe(200);
  });

  it('once the successor has been used, the old token is re-use and revokes the family, as before', async () => {
    const client = await integration();
    const first = await granted(client);
    const second = await refreshed(client, first.refresh_token);
    const third = await refreshed(client, second.refresh_token);
    expect(await refused(client, first.refresh_token)).toMatch(/already used/);
    expect(await refused(client, third.refresh_token)).toMatch(/revoked/);
    // And after a retry: the retried pair, once used, ends the interval for the original token too.
    const other = await granted(client);
    await refreshed(client, other.refresh_token);
    const retried = await refreshed(client, other.refresh_token);
    const used = await refreshed(client, retried.refresh_token);
    expect(await refused(client, other.refresh_token)).toMatch(/already used/);
    expect(await refused(client, used.refresh_token)).toMatch(/revoked/);
  });

  it('two retries at once both get a pair; only the last one issued stays valid, and the grant survives', async () => {
    const client = await integration();
    const first = await granted(client);
    await refreshed(client, first.refresh_token); // lost
    const [a, b] = await Promise.all([refresh(client, first.refresh_token), refresh(client, first.refresh_token)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const pairs = [await json<Tokens>(a), await json<Tokens>(b)];
    const outcomes = await Promise.all(
      pairs.map((p) => refresh(client, p.refresh_token).then(async (r) => ({ status: r.status, body: await json<{ error_description?: string }>(r) }))),
    );
    expect(outcomes.map((o) => o.status).sort()).toEqual([200, 400]);
    expect(outcomes.find((o) => o.status === 400)!.body.error_description).toMatch(/superseded/);
    // Two first presentations at once (no answer lost yet) are one rotation and one retry: both answered.
    const other = await granted(client);
    const both = await Promise.all([refresh(client, other.refresh_token), refresh(client, other.refresh_token)]);
    expect(both.map((r) => r.status)).toEqual([200, 200]);
  });

  it('only for the same client, and not at all when the interval is 0', async () => {
    const owner = await integration();
    const stranger = await integration();
    const first = await granted(owner);
    await refreshed(owner, first.refresh_token);
    expect(await refused(stranger, first.refresh_token)).toMatch(/invalid/);

    const strict = await integration({ refreshTokenReuseIntervalSeconds: 0 });
    const grant = await granted(strict);
    const successor = await refreshed(strict, grant.refresh_token);
    expect(await refused(strict, grant.refresh_token)).toMatch(/already used/);
    expect(await refused(strict, successor.refresh_token)).toMatch(/revoked/);
  });
});
