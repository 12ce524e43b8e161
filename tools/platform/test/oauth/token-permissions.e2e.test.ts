import { FakeOAuthProvider } from '@tessera/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedPlatform, type SharedPlatform } from '../support/shared-platform.js';

/**
 * Who may use an outbound token (ADR 0016): one token or one platform instance by name, reading the raw token and
 * calling through the proxy as separate actions, and nothing meant for ordinary tokens reaching what acts on another
 * platform. Integrations get their tokens at /oauth/token like any client and call the gateway with them.
 */
let p: SharedPlatform;
let fake: FakeOAuthProvider;

async function integrationToken(permissions: string[]): Promise<string> {
  const created = await p.http<{ applicationId: string; appSecret: string }>('POST', '/admin/integrations', {
    name: `i-${Math.random().toString(36).slice(2)}`,
    permissions,
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const response = await fetch(`${p.url}/oauth/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${created.body.applicationId}:${created.body.appSecret}`).toString('base64')}`,
    },
    body: 'grant_type=client_credentials',
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { access_token: string }).access_token;
}

async function as(token: string, method: string, path: string) {
  const response = await fetch(`${p.url}${path}`, { method, headers: { authorization: `Bearer ${token}` } });
  const text = await response.text();
  return { status: response.status, text, headers: response.headers, json: (text.startsWith('{') ? JSON.parse(text) : {}) as Record<string, unknown> };
}

beforeAll(async () => {
  fake = await new FakeOAuthProvider().start();
  p = await sharedPlatform();
  const provider = await p.http<{ id: string }>('POST', '/admin/providers', {
    name: 'permissions-api',
    grantType: 'client_credentials',
    clientId: 'c',
    clientSecret: 's',
    tokenUrl: `${fake.url}/token`,
  });
  for (const name of ['crm', 'erp'])
    expect((await p.http('POST', '/admin/tokens', { name, providerId: provider.body.id, baseUrl: `${fake.url}/api/${name}` })).status).toBe(201);
  // A platform instance reached with a stored password: what the proxy sends it is this platform's credential there.
  const instance = await p.http<{ id: string }>('POST', '/admin/instances', { name: 'acme', baseUrl: `${fake.url}/api/acme` });
  expect(
    (await p.http('PATCH', `/admin/instances/${instance.body.id}`, { auth: { type: 'password', username: 'tessera', password: 'acme-password-1' } })).status,
  ).toBe(200);
});
afterAll(async () => {
  await p?.stop();
  await fake?.stop();
});

describe('a permission naming one outbound token', () => {
  it('reads that token, and is refused another token, the proxy, and an unknown name alike', async () => {
    const token = await integrationToken(['*:tokens/crm=read']);
    const crm = await as(token, 'GET', '/tokens/crm');
    expect(crm.status, crm.text).toBe(200);
    expect(crm.json.access_token).toMatch(/^at-/);

    const erp = await as(token, 'GET', '/tokens/erp');
    expect(erp.status).toBe(403);
    expect(erp.json.message).toContain('*:tokens/erp=read');
    expect(erp.headers.get('www-authenticate')).toContain('insufficient_scope');
    // 403, not 404: a caller who may not read a name does not learn whether a token has it.
    expect((await as(token, 'GET', '/tokens/no-such-token')).status).toBe(403);
    // Names outside the grammar never reach a header or the bus: 403, never a 500.
    for (const name of ['%0d%0aX-Injected:%20yes', '%22quoted%22', 'UPPER', 'a%2fb']) {
      const odd = await as(token, 'GET', `/tokens/${name}`);
      expect(odd.status, name).toBe(403);
      expect(odd.headers.get('x-injected')).toBeNull();
      expect((await as(token, 'GET', `/proxy/${name}/x`)).status, name).toBe(403);
      expect((await as(token, 'GET', `/proxy/instances/${name}/x`)).status, name).toBe(403);
    }

    const calls = fake.apiCalls.length;
    expect((await as(token, 'GET', '/proxy/crm/contacts')).status).toBe(403);
    expect(fake.apiCalls.length).toBe(calls);
  });

  it('with the proxy action calls through the proxy but never sees the raw token', async () => {
    const token = await integrationToken(['*:tokens/crm=proxy']);
    const proxied = await as(token, 'GET', '/proxy/crm/contacts');
    expect(proxied.status, proxied.text).toBe(200);
    expect(proxied.json.path).toBe('/api/crm/contacts');
    expect((await as(token, 'GET', '/tokens/crm')).status).toBe(403);
    expect((await as(token, 'GET', '/proxy/erp/contacts')).status).toBe(403);
    expect((await as(token, 'GET', '/proxy/instances/acme/users')).status).toBe(403);
  });
});

describe('the wildcard for ordinary tokens', () => {
  it('*:tokens=read reads every ordinary token, but neither opens the proxy nor reaches a platform instance', async () => {
    const token = await integrationToken(['*:tokens=read']);
    expect((await as(token, 'GET', '/tokens/crm')).status).toBe(200);
    expect((await as(token, 'GET', '/tokens/erp')).status).toBe(200);
    expect((await as(token, 'GET', '/proxy/crm/x')).status).toBe(403);
    const calls = fake.apiCalls.length;
    expect((await as(token, 'GET', '/proxy/instances/acme/users')).status).toBe(403);
    expect(fake.apiCalls.length).toBe(calls);
  });

  it('*:tokens=proxy proxies every ordinary token, but not a platform instance', async () => {
    const token = await integrationToken(['*:tokens=proxy']);
    expect((await as(token, 'GET', '/proxy/erp/x')).status).toBe(200);
    expect((await as(token, 'GET', '/tokens/erp')).status).toBe(403);
    expect((await as(token, 'GET', '/proxy/instances/acme/users')).status).toBe(403);
  });
});

describe('a permission naming one platform instance', () => {
  it('acme:p2pi=proxy calls instance acme through the proxy, and nothing else', async () => {
    const token = await integrationToken(['acme:p2pi=proxy']);
    const calls = fake.apiCalls.length;
    const answer = await as(token, 'GET', '/proxy/instances/acme/users');
    expect(answer.status).not.toBe(403);
    expect(fake.apiCalls.slice(calls).map((c) => [c.path, c.authorization])).toEqual([
      ['/api/acme/users', `Basic ${Buffer.from('tessera:acme-password-1').toString('base64')}`],
    ]);
    expect((await as(token, 'GET', '/proxy/instances/other/users')).status).toBe(403);
    expect((await as(token, 'GET', '/proxy/crm/x')).status).toBe(403);
    expect((await as(token, 'GET', '/tokens/crm')).status).toBe(403);
  });

  it('other:p2pi=proxy is refused for acme', async () => {
    const token = await integrationToken(['other:p2pi=proxy', '*:tokens=read']);
    expect((await as(token, 'GET', '/proxy/instances/acme/users')).status).toBe(403);
  });
});

describe('granting token permissions', () => {
  it('refuses forms that would grant nothing, with the form that was meant', async () => {
    const refused = await p.http<{ fields: Record<string, string[]> }>('POST', '/admin/integrations', {
      name: 'wrong',
      permissions: ['*:orgs=read', 'acme:tokens=read', '*:tokens=write', '*:p2pi/acme=proxy'],
    });
    expect(refused.status).toBe(400);
    const message = refused.body.fields.permissions.join(' ');
    expect(message).toContain('permissions[1]');
    expect(message).toContain('acme:p2pi=read');
    expect(message).toContain('permissions[2]');
    expect(message).toContain('permissions[3]');
    expect(message).not.toContain('permissions[0]');
  });

  it('an admin token still uses everything', async () => {
    expect((await p.http('GET', '/tokens/crm')).status).toBe(200);
    expect((await p.http('GET', '/proxy/erp/x')).status).toBe(200);
  });
});
