import { FakeOAuthProvider } from '@tessera/testing';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, sharedPlatform, type SharedPlatform } from '../support/shared-platform.js';

/** ANY /proxy/:name/<path>: the token applied, the answer streamed back, one refresh on an upstream 401. */
let p: SharedPlatform;
let fake: FakeOAuthProvider;
beforeAll(async () => {
  fake = await new FakeOAuthProvider().start();
  p = await sharedPlatform();
  const provider = await p.http<{ id: string }>('POST', '/admin/providers', {
    name: 'api',
    grantType: 'client_credentials',
    clientId: 'c',
    clientSecret: 's',
    tokenUrl: `${fake.url}/token`,
  });
  await p.http('POST', '/admin/tokens', { name: 'api-token', providerId: provider.body.id, baseUrl: `${fake.url}/api/v1/` });
  await p.http('POST', '/admin/tokens', { name: 'no-base', providerId: provider.body.id });
});
afterAll(async () => {
  await p?.stop();
  await fake?.stop();
});

async function proxy(method: string, path: string, body?: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${p.url}/proxy/${path}`, { method, body, headers: { ...(await p.authHeaders()), ...headers } });
  return { status: response.status, headers: response.headers, json: (await response.json()) as Record<string, unknown> };
}

describe('/proxy/:name/*', () => {
  it('answers 502 when the upstream API cannot be reached', async () => {
    const provider = await p.http<{ id: string }>('POST', '/admin/providers', {
      name: 'down',
      grantType: 'client_credentials',
      clientId: 'c',
      clientSecret: 's',
      tokenUrl: `${fake.url}/token`,
    });
    await p.http('POST', '/admin/tokens', { name: 'down-api', providerId: provider.body.id, baseUrl: `http://127.0.0.1:${await freePort()}/api` });
    const answer = await proxy('GET', 'down-api/x');
    expect(answer.status).toBe(502);
    expect(answer.json.message).toMatch(/^The upstream API did not answer: E[A-Z]+/);
  });

  it('forwards method, path, query and body with the token applied, and passes the answer back', async () => {
    const answer = await proxy('POST', 'api-token/contacts/42?expand=true', JSON.stringify({ name: 'Ada' }), {
      'content-type': 'application/json',
      'x-custom': 'kept',
    });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('x-upstream')).toBe('fake');
    expect(answer.json).toEqual({ ok: true, path: '/api/v1/contacts/42', query: '?expand=true', method: 'POST', body: '{"name":"Ada"}' });
    const call = fake.apiCalls.at(-1)!;
    expect(call.authorization).toMatch(/^Bearer at-/);
    // The caller's own credentials never reach the upstream API.
    expect(call.authorization).not.toBe((await p.authHeaders()).authorization);
  });

  it('refreshes once when the upstream answers 401, even for many callers at once, and retries', async () => {
    const current = (await p.http<{ access_token: string }>('GET', '/tokens/api-token')).body.access_token;
    fake.invalidate(current);
    const fetchesBefore = fake.tokenRequests.length;
    const answers = await Promise.all(Array.from({ length: 8 }, () => proxy('GET', 'api-token/me')));
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(200));
    expect(fake.tokenRequests.length - fetchesBefore).toBe(1);
    expect((await p.http<{ access_token: string }>('GET', '/tokens/api-token')).body.access_token).not.toBe(current);
  });

  it('passes a second 401 back as it is, and refuses a token without a baseUrl', async () => {
    const fetchesBefore = fake.tokenRequests.length;
    fake.behaviour.expiresIn = -1; // every token it issues is already dead at the API
    const current = (await p.http<{ access_token: string }>('GET', '/tokens/api-token')).body.access_token;
    fake.invalidate(current);
    const answer = await proxy('GET', 'api-token/me');
    fake.behaviour.expiresIn = 3600;
    expect(answer.status).toBe(401);
    expect(fake.tokenRequests.length - fetchesBefore).toBe(1);
    expect((await proxy('GET', 'no-base/x')).status).toBe(409);
    // fetch() would normalise the dot-segments away; a raw request keeps them, as an attacker's would.
    const raw = await new Promise<number>((resolve, reject) => {
      const target = new URL(p.url);
      p.authHeaders().then(
        (headers) =>
          request({ host: target.hostname, port: target.port, path: '/proxy/api-token/a/%2e%2e/%2E%2E/token', headers }, (res) => {
            res.resume();
            resolve(res.statusCode!);
          })
            .on('error', reject)
            .end(),
        reject,
      );
    });
    expect(raw).toBe(400);
    expect((await proxy('GET', 'nobody/x')).status).toBe(404);
  });

  it('a token without a baseUrl says how to set one; PATCH sets it, and a new origin clears the stored token (URL-change rule)', async () => {
    const refused = await proxy('GET', 'no-base/me');
    expect(refused.status).toBe(409);
    expect(refused.json.message).toBe(
      'Token "no-base" has no baseUrl to proxy to: set the API\'s base URL with PATCH /admin/tokens/{id} {"baseUrl": "https://api.example.com"}',
    );
    const list = await p.http<{ items: { id: string; name: string }[] }>('GET', '/admin/tokens?limit=500'); // other files' tokens too
    const id = list.body.items.find((token) => token.name === 'no-base')!.id;
    const fetched = (await p.http<{ access_token: string }>('GET', '/tokens/no-base')).body.access_token;
    expect(fetched).toBeTruthy();

    const patched = await p.http<{ baseUrl: string; lastMessage: string | null }>('PATCH', `/admin/tokens/${id}`, { baseUrl: `${fake.url}/api/v1/` });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(patched.body.baseUrl).toBe(`${fake.url}/api/v1`);
    // The access token had gone nowhere before; now it would go to the API's origin: forgotten and fetched anew.
    expect(patched.body.lastMessage).toMatch(/^Cleared the access token: baseUrl moved to another origin/);
    expect((await proxy('GET', 'no-base/me')).status).toBe(200);
    expect((await p.http<{ access_token: string }>('GET', '/tokens/no-base')).body.access_token).not.toBe(fetched);

    const invalid = await p.http<{ fields: Record<string, string[]> }>('PATCH', `/admin/tokens/${id}`, { baseUrl: 'ftp://files.example.com' });
    expect(invalid.status).toBe(400);
    expect(invalid.body.fields.baseUrl).toEqual(['must be an http(s) URL']);
  });
});
