import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, login } from '../support/sign-in.js';
import { basic, json, startTestPlatform, type TestPlatform } from '../support/test-platform.js';

/** Gateway-wide input rules, headers by route class, allowed grants, bound state. */
let t: TestPlatform;
let adminToken: string;
const admin = (extra: Record<string, string> = {}) => ({ authorization: `Bearer ${adminToken}`, 'content-type': 'application/json', ...extra });
const bearer = () => ({ authorization: `Bearer ${adminToken}` });

beforeAll(async () => {
  t = await startTestPlatform();
  adminToken = await t.adminToken();
});
afterAll(() => t?.stop());

describe('no 5xx on bad input', () => {
  const deepArray = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
  it.each([
    ['a 100k-deep array at /admin/login (unauthenticated)', '/admin/login', { 'content-type': 'application/json' }, deepArray(100_000)],
    [
      'a 100k-deep password at /admin/login (unauthenticated)',
      '/admin/login',
      { 'content-type': 'application/json' },
      `{"username":"admin","password":${deepArray(100_000)}}`,
    ],
    ['a deep object in an integration', '/admin/integrations', null, `{"name":"x","permissions":["*:orgs=read"],"redirectUris":${deepArray(5000)}}`],
    ['a deep OpenAPI import (JSON)', '/admin/providers/import', null, `{"openapi":"3.0.0","paths":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`],
  ])('%s → 400', async (_name, path, headers, body) => {
    const response = await fetch(`${t.url}${path}`, { method: 'POST', headers: headers ?? admin(), body });
    expect(response.status).toBe(400);
    expect(await json(response)).toMatchObject({ statusCode: 400, error: 'validation_failed' });
  });

  it('a deep YAML import → 400', async () => {
    const response = await fetch(`${t.url}/admin/providers/import`, {
      method: 'POST',
      headers: admin({ 'content-type': 'application/yaml' }),
      body: `openapi: 3.0.0\npaths: ${'- '.repeat(50_000)}x\n`,
    });
    expect(response.status).toBe(400);
  });

  it.each(['/admin/integrations', '/admin/instances', '/admin/providers', '/admin/tokens'])(
    'out-of-range numbers in the query of %s → 400 naming the field',
    async (path) => {
      for (const query of ['offset=9223372036854775807', 'offset=1e308', 'limit=99999999999999999999']) {
        const response = await fetch(`${t.url}${path}?${query}`, { headers: admin() });
        expect(response.status, `${path}?${query}`).toBe(400);
      }
      expect((await fetch(`${t.url}${path}?offset=2147483647`, { headers: admin() })).status).toBe(200);
    },
  );
});

describe('headers by route class', () => {
  it('every HTML page has a CSP with frame-ancestors, X-Frame-Options, nosniff and no referrer; every response of a secret-bearing route has no-store', async () => {
    const integration = await json<{ id: string; applicationId: string }>(
      await fetch(`${t.url}/admin/integrations`, {
        method: 'POST',
        headers: admin(),
        body: JSON.stringify({ name: 'headers', permissions: ['*:orgs=read'], redirectUris: ['https://app.example/cb'] }),
      }),
    );
    const ids: Record<string, string> = { id: integration.id, familyId: '00000000-0000-0000-0000-000000000000', name: 'nothing', '*': 'x' };
    const routes = t.platform.routes!.filter((r) => !['HEAD', 'OPTIONS'].includes(r.method));
    expect(routes.length).toBeGreaterThan(40);
    const problems: string[] = [];
    for (const route of routes) {
      const path = route.url.replace(/:(\w+)/g, (_, name: string) => ids[name] ?? ids.id).replace('*', ids['*']);
      for (const withToken of [true, false]) {
        const response = await fetch(`${t.url}${path}`, {
          method: route.method,
          redirect: 'manual',
          headers: withToken ? admin() : {},
          body: ['GET', 'DELETE'].includes(route.method) ? undefined : '{}',
        }).catch(() => undefined);
        if (!response || route.url.startsWith('/admin/events')) {
          await response?.body?.cancel();
          continue;
        }
        await response.text();
        const where = `${route.method} ${path} (${response.status}${withToken ? '' : ', no token'})`;
        const h = response.headers;
        if (h.get('x-content-type-options') !== 'nosniff') problems.push(`${where}: no nosniff`);
        if (/^text\/html/.test(h.get('content-type') ?? '')) {
          if (!/frame-ancestors 'none'/.test(h.get('content-security-policy') ?? '')) problems.push(`${where}: HTML without frame-ancestors 'none'`);
          if (h.get('x-frame-options') !== 'DENY') problems.push(`${where}: HTML without X-Frame-Options`);
          if (h.get('referrer-policy') !== 'no-referrer') problems.push(`${where}: HTML without Referrer-Policy`);
        }
        if (/^\/(admin|tokens|oauth\/(token|introspect|revoke|authorize|callback))/.test(path) && h.get('cache-control') !== 'no-store')
          problems.push(`${where}: cache-control ${h.get('cache-control')}`);
      }
    }
    expect(problems).toEqual([]);
    // The walk called POST /admin/logout with the admin token.
    adminToken = await t.adminToken();
  });

  it('the responses that carry secrets are no-store: admin login, integration create and rotate, instance integration, /tokens/:name errors', async () => {
    const signedIn = await login(t.url, 'admin', ADMIN_PASSWORD);
    expect(signedIn.status).toBe(200);
    expect(signedIn.headers.get('cache-control')).toBe('no-store');
    const created = await fetch(`${t.url}/admin/integrations`, {
      method: 'POST',
      headers: admin(),
      body: JSON.stringify({ name: 'secret carrier', permissions: ['*:orgs=read'] }),
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('cache-control')).toBe('no-store');
    const rotated = await fetch(`${t.url}/admin/integrations/${(await json<{ id: string }>(created)).id}/secret`, {
      method: 'POST',
      headers: admin(),
      body: '{}',
    });
    expect(rotated.status).toBe(200);
    expect(rotated.headers.get('cache-control')).toBe('no-store');
    const instance = await json<{ id: string }>(
      await fetch(`${t.url}/admin/instances`, { method: 'POST', headers: admin(), body: JSON.stringify({ name: 'peer', baseUrl: 'https://peer.example' }) }),
    );
    const instanceIntegration = await fetch(`${t.url}/admin/instances/${instance.id}/integration`, { method: 'POST', headers: bearer() });
    expect(instanceIntegration.status, await instanceIntegration.clone().text()).toBe(201);
    expect(instanceIntegration.headers.get('cache-control')).toBe('no-store');
    expect((await fetch(`${t.url}/tokens/none`, { headers: admin() })).headers.get('cache-control')).toBe('no-store');
  });
});

describe('allowed grant types and bound callback state', () => {
  it('a P2PI integration cannot use client_credentials (unauthorized_client); a restricted integration neither', async () => {
    const instance = await json<{ id: string }>(
      await fetch(`${t.url}/admin/instances`, {
        method: 'POST',
        headers: admin(),
        body: JSON.stringify({ name: 'consenting-peer', baseUrl: 'https://consenting.example' }),
      }),
    );
    const p2pi = await json<{ applicationId: string; appSecret: string; grantTypes: string[] }>(
      await fetch(`${t.url}/admin/instances/${instance.id}/integration`, { method: 'POST', headers: bearer() }),
    );
    expect(p2pi.grantTypes.sort()).toEqual(['authorization_code', 'refresh_token']);
    const token = (id: string, secret: string) =>
      fetch(`${t.url}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(id, secret) },
        body: 'grant_type=client_credentials',
      });
    const refused = await token(p2pi.applicationId, p2pi.appSecret);
    expect(refused.status).toBe(400);
    expect(await json(refused)).toMatchObject({ error: 'unauthorized_client' });

    const created = await json<{ id: string; applicationId: string; appSecret: string; grantTypes: string[] }>(
      await fetch(`${t.url}/admin/integrations`, {
        method: 'POST',
        headers: admin(),
        body: JSON.stringify({ name: 'cc only', permissions: ['*:orgs=read'], grantTypes: ['client_credentials'], redirectUris: ['https://app.example/cb'] }),
      }),
    );
    expect(created.grantTypes).toEqual(['client_credentials']);
    expect((await token(created.applicationId, created.appSecret)).status).toBe(200);
    const authorize = await fetch(
      `${t.url}/oauth/authorize?response_type=code&client_id=${created.applicationId}&redirect_uri=${encodeURIComponent('https://app.example/cb')}&code_challenge=${'a'.repeat(43)}&code_challenge_method=S256`,
      { redirect: 'manual' },
    );
    expect(authorize.status).toBe(303);
    expect(new URL(authorize.headers.get('location')!).searchParams.get('error')).toBe('unauthorized_client');
    await fetch(`${t.url}/admin/integrations/${created.id}`, {
      method: 'PATCH',
      headers: admin(),
      body: JSON.stringify({ grantTypes: ['authorization_code'] }),
    });
    await t.events.waitFor(
      (e) => e.type === 'tessera.events.registry.integration.updated' && (e.data as { integrationId: string }).integrationId === created.id,
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await json(await token(created.applicationId, created.appSecret))).toMatchObject({ error: 'unauthorized_client' });
    expect(
      (
        await fetch(`${t.url}/admin/integrations`, {
          method: 'POST',
          headers: admin(),
          body: JSON.stringify({ name: 'bad grants', permissions: ['*:orgs=read'], grantTypes: ['password'] }),
        })
      ).status,
    ).toBe(400);
  });

  it('the broker callback refuses a state the browser did not start (no cookie), before anything is exchanged', async () => {
    const provider = await json<{ id: string }>(
      await fetch(`${t.url}/admin/providers`, {
        method: 'POST',
        headers: admin(),
        body: JSON.stringify({
          name: 'idp',
          grantType: 'authorization_code',
          clientId: 'c',
          clientSecret: 's',
          authorizationUrl: 'https://idp.example/authorize',
          tokenUrl: 'https://idp.example/token',
        }),
      }),
    );
    const outbound = await json<{ id: string }>(
      await fetch(`${t.url}/admin/tokens`, { method: 'POST', headers: admin(), body: JSON.stringify({ name: 'bound', providerId: provider.id }) }),
    );
    const started = await fetch(`${t.url}/admin/tokens/${outbound.id}/authorize`, { method: 'POST', headers: bearer() });
    expect(started.status, await started.clone().text()).toBe(200);
    const state = new URL((await json<{ authorizationUrl: string }>(started)).authorizationUrl).searchParams.get('state')!;
    const cookie = started.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^tessera_oauth_[\w-]+=1; Path=\/oauth\/callback; HttpOnly; SameSite=Lax/);

    // Another browser (no cookie) following the same callback: refused, and the state stays unspent.
    const elsewhere = await fetch(`${t.url}/oauth/callback?error=access_denied&state=${encodeURIComponent(state)}`);
    expect(elsewhere.status).toBe(400);
    expect(await elsewhere.text()).toContain('not started in this browser');
    // The browser that started it gets through to the broker (here the provider's refusal is recorded).
    const here = await fetch(`${t.url}/oauth/callback?error=access_denied&state=${encodeURIComponent(state)}`, { headers: { cookie: cookie.split(';')[0] } });
    expect(here.status).not.toBe(500);
    expect(await here.text()).not.toContain('not started in this browser');
  });
});
