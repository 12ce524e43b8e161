import { eventually, FakeOAuthProvider, OpenApiResponseChecker } from '@tessera/testing';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchConsoleBrowser } from '../support/console-browser.js';
import { ADMIN_PASSWORD, basic, form, startTestPlatform, type TestPlatform } from '../support/test-platform.js';

/** The committed document: what the gateway serves must be it, and every answer below must match it. */
const committed = JSON.parse(readFileSync(new URL('../../../../docs/openapi.json', import.meta.url), 'utf8'));
const checker = new OpenApiResponseChecker(committed);

let t: TestPlatform;
let fake: FakeOAuthProvider;
let admin: string;

interface Call {
  method: string;
  path: string;
  params?: Record<string, string>;
  query?: string;
  body?: unknown;
  form?: Record<string, string>;
  token?: string | null;
  authorization?: string;
}

/** One request at the gateway, its answer checked against the document's operation `method path`. */
async function call<T = Record<string, unknown>>(request: Call): Promise<{ status: number; body: T; headers: Headers }> {
  const url = request.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(request.params![name]));
  const token = request.token === undefined ? admin : request.token;
  const headers: Record<string, string> = {
    ...(token ? { authorization: `Bearer ${token}` } : {}),
    ...(request.authorization ? { authorization: request.authorization } : {}),
    ...(request.body !== undefined ? { 'content-type': 'application/json' } : {}),
    ...(request.form ? form({}).headers : {}),
  };
  const body = request.form ? new URLSearchParams(request.form).toString() : request.body !== undefined ? JSON.stringify(request.body) : undefined;
  const response = await fetch(`${t.url}${url}${request.query ?? ''}`, { method: request.method, headers, body });
  return checker.checkFetch<T>(request.method, request.path, response);
}

beforeAll(async () => {
  fake = await new FakeOAuthProvider().start();
  t = await startTestPlatform();
  admin = await t.adminToken();
});
afterAll(async () => {
  await t?.stop();
  await fake?.stop();
});

describe('the served document and reference page', () => {
  it('serves the committed document at /openapi.json', async () => {
    const response = await fetch(`${t.url}/openapi.json`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(committed);
  });

  it('documents every route the gateway registers, and no route it lacks', () => {
    const template = (url: string) => url.replace(/:(\w+)/g, '{$1}').replace(/\*$/, '{path}');
    // HEAD of a GET route is Fastify's own; the proxy's SEARCH, QUERY and WebDAV methods have no OpenAPI name.
    const named = ['GET', 'PUT', 'POST', 'DELETE', 'OPTIONS', 'PATCH', 'TRACE'];
    const registered = new Set(t.platform.routes!.filter((r) => named.includes(r.method)).map((r) => `${r.method.toLowerCase()} ${template(r.url)}`));
    const documented = new Set(
      Object.entries(committed.paths as Record<string, object>).flatMap(([path, item]) =>
        Object.keys(item)
          .filter((m) => m !== 'head')
          .map((m) => `${m} ${path}`),
      ),
    );
    expect([...registered].filter((r) => !documented.has(r)).sort()).toEqual([]);
    expect([...documented].filter((d) => !registered.has(d)).sort()).toEqual([]);
  });

  it('serves the reference page and its files itself, under a CSP that loads nothing from elsewhere and runs no inline script', async () => {
    const page = await fetch(`${t.url}/docs`);
    expect(page.status).toBe(200);
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).toMatch(/frame-ancestors 'none'/);
    expect(csp).not.toMatch(/unsafe-inline|https?:/);
    const html = await page.text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(assets.length).toBeGreaterThanOrEqual(3);
    for (const asset of assets) {
      expect(asset).toMatch(/^\/docs\//);
      const file = await fetch(`${t.url}${asset}`);
      expect(file.status, asset).toBe(200);
      expect((await file.arrayBuffer()).byteLength, asset).toBeGreaterThan(0);
    }
    expect((await fetch(`${t.url}/docs/../package.json`)).status).toBe(404);
    expect((await fetch(`${t.url}/docs/index.html`)).status).toBe(404);
  });
  it('renders the reference in a browser under that CSP, with no violation or script error', async () => {
    const browser = await launchConsoleBrowser();
    try {
      const outside: string[] = [];
      browser.page.on('request', (request) => {
        if (!request.url().startsWith(t.url)) outside.push(request.url());
      });
      await browser.page.goto(`${t.url}/docs`);
      // Swagger UI's bundle is 1.5 MB of script: give a loaded machine time to parse it.
      await browser.page.locator('.opblock').first().waitFor({ timeout: 30_000 });
      expect(await browser.page.locator('.opblock').count()).toBeGreaterThan(50);
      await browser.page.locator('#operations-Integrations-integrations_create .opblock-summary').click();
      await browser.page.locator('#operations-Integrations-integrations_create .opblock-body').waitFor();
      await browser.shoot('api-reference');
      expect(browser.problems).toEqual([]);
      expect(outside).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 90_000);
});

describe('real answers match the document', () => {
  it('health, metadata, JWKS and the admin session', async () => {
    await call({ method: 'GET', path: '/health', token: null });
    expect((await call({ method: 'GET', path: '/health/ready', token: null })).status).toBe(200);
    await call({ method: 'GET', path: '/.well-known/oauth-authorization-server', token: null });
    await call({ method: 'GET', path: '/oauth/jwks', token: null });
    expect((await call({ method: 'POST', path: '/admin/login', token: null, body: { username: 'admin', password: 'wrong-password-123' } })).status).toBe(401);
    expect((await call({ method: 'POST', path: '/admin/login', token: null, body: { username: 7 } })).status).toBe(400);
    const login = await call<{ access_token: string }>({
      method: 'POST',
      path: '/admin/login',
      token: null,
      body: { username: 'admin', password: ADMIN_PASSWORD },
    });
    expect(login.status).toBe(200);
    expect((await call({ method: 'POST', path: '/admin/logout', token: login.body.access_token })).status).toBe(204);
    expect((await call({ method: 'GET', path: '/admin/integrations', token: login.body.access_token })).status).toBe(401);
  });

  it('integrations CRUD, their grants, and the errors 400, 401, 403, 404, 409', async () => {
    expect((await call({ method: 'GET', path: '/admin/integrations', token: null })).status).toBe(401);
    const created = await call<{ id: string; applicationId: string; appSecret: string }>({
      method: 'POST',
      path: '/admin/integrations',
      body: { name: 'openapi-crm', permissions: ['*:orgs=read', 'openapi:users=read'] },
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    expect((await call({ method: 'POST', path: '/admin/integrations', body: { name: '', permissions: ['nope'] } })).status).toBe(400);
    expect((await call({ method: 'POST', path: '/admin/integrations', body: { name: 'x', permissions: [], surprise: true } })).status).toBe(400);
    expect(
      (
        await call({
          method: 'POST',
          path: '/admin/integrations',
          body: { name: 'openapi-dup', permissions: ['*:orgs=read'], applicationId: created.body.applicationId },
        })
      ).status,
    ).toBe(409);
    expect((await call({ method: 'GET', path: '/admin/integrations' })).status).toBe(200);
    expect((await call({ method: 'GET', path: '/admin/integrations', query: '?limit=0' })).status).toBe(400);
    expect((await call({ method: 'GET', path: '/admin/integrations/{id}', params: { id } })).status).toBe(200);
    expect((await call({ method: 'GET', path: '/admin/integrations/{id}', params: { id: '00000000-0000-4000-8000-000000000000' } })).status).toBe(404);
    expect((await call({ method: 'GET', path: '/admin/integrations/{id}', params: { id: 'not-a-uuid' } })).status).toBe(404);
    expect(
      (
        await call({
          method: 'PATCH',
          path: '/admin/integrations/{id}',
          params: { id },
          body: { redirectUris: ['http://127.0.0.1/cb'], clientCredentialsTokensPerHour: 1000 },
        })
      ).status,
    ).toBe(200);
    expect((await call({ method: 'PATCH', path: '/admin/integrations/{id}', params: { id }, body: { accessTokenTtlSeconds: 'soon' } })).status).toBe(400);
    const rotated = await call<{ appSecret: string }>({ method: 'POST', path: '/admin/integrations/{id}/secret', params: { id }, body: { graceSeconds: 0 } });
    expect(rotated.status).toBe(200);
    expect((await call({ method: 'GET', path: '/admin/permissions' })).status).toBe(200);

    const client = basic(created.body.applicationId, rotated.body.appSecret);
    const issued = await call<{ access_token: string; refresh_token: string }>({
      method: 'POST',
      path: '/oauth/token',
      token: null,
      authorization: client,
      form: { grant_type: 'client_credentials' },
    });
    expect(issued.status).toBe(200);
    // A token without *:platform=admin is refused at /admin.
    expect((await call({ method: 'GET', path: '/admin/integrations', token: issued.body.access_token })).status).toBe(403);
    expect((await call({ method: 'GET', path: '/api/whoami', token: issued.body.access_token })).status).toBe(200);
    const grants = await call<{ items: { id: string }[] }>({ method: 'GET', path: '/admin/integrations/{id}/tokens', params: { id } });
    expect(grants.body.items).toHaveLength(1);
    expect((await call({ method: 'GET', path: '/admin/integrations/{id}/tokens', params: { id }, query: '?cursor=%24' })).status).toBe(400);
    expect(
      (await call({ method: 'DELETE', path: '/admin/integrations/{id}/tokens/{familyId}', params: { id, familyId: grants.body.items[0].id } })).status,
    ).toBe(204);
    expect((await call({ method: 'DELETE', path: '/admin/integrations/{id}/tokens', params: { id } })).status).toBe(204);
    expect((await call({ method: 'DELETE', path: '/admin/integrations/{id}', params: { id } })).status).toBe(204);
    expect((await call({ method: 'DELETE', path: '/admin/integrations/{id}', params: { id } })).status).toBe(404);
  });

  it('the token endpoint, introspection and revocation, with RFC 6749 errors', async () => {
    const created = await call<{ applicationId: string; appSecret: string }>({
      method: 'POST',
      path: '/admin/integrations',
      body: { name: 'openapi-oauth', permissions: ['*:orgs=read'] },
    });
    const client = basic(created.body.applicationId, created.body.appSecret);
    const issued = await call<{ access_token: string; refresh_token: string }>({
      method: 'POST',
      path: '/oauth/token',
      token: null,
      authorization: client,
      form: { grant_type: 'client_credentials', scope: '*:orgs=read' },
    });
    expect(issued.status).toBe(200);
    // client_secret_post
    const posted = await call({
      method: 'POST',
      path: '/oauth/token',
      token: null,
      form: { grant_type: 'client_credentials', client_id: created.body.applicationId, client_secret: created.body.appSecret },
    });
    expect(posted.status).toBe(200);
    const refreshed = await call({
      method: 'POST',
      path: '/oauth/token',
      token: null,
      authorization: client,
      form: { grant_type: 'refresh_token', refresh_token: issued.body.refresh_token },
    });
    expect(refreshed.status).toBe(200);
    const replay = await call<{ error: string }>({
      method: 'POST',
      path: '/oauth/token',
      token: null,
      authorization: client,
      form: { grant_type: 'refresh_token', refresh_token: 'not-a-refresh-token' },
    });
    expect(replay).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect(
      (await call<{ error: string }>({ method: 'POST', path: '/oauth/token', token: null, authorization: client, form: { grant_type: 'password' } })).body
        .error,
    ).toBe('unsupported_grant_type');
    const wrong = await call<{ error: string }>({
      method: 'POST',
      path: '/oauth/token',
      token: null,
      authorization: basic(created.body.applicationId, 'wrong'),
      form: { grant_type: 'client_credentials' },
    });
    expect(wrong).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    const notForm = await fetch(`${t.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: client },
      body: '{"grant_type":"client_credentials"}',
    });
    expect((await checker.checkFetch('POST', '/oauth/token', notForm)).status).toBe(400);
    const active = await call<{ active: boolean }>({
      method: 'POST',
      path: '/oauth/introspect',
      token: null,
      authorization: client,
      form: { token: issued.body.access_token },
    });
    expect(active.body.active).toBe(true);
    expect((await call({ method: 'POST', path: '/oauth/introspect', token: null, authorization: client, form: {} })).status).toBe(400);
    expect((await call({ method: 'POST', path: '/oauth/revoke', token: null, authorization: client, form: { token: issued.body.access_token } })).status).toBe(
      200,
    );
    expect(
      (
        await call<{ active: boolean }>({
          method: 'POST',
          path: '/oauth/introspect',
          token: null,
          authorization: client,
          form: { token: issued.body.access_token },
        })
      ).body,
    ).toEqual({ active: false });
  });

  it('providers, outbound tokens and their use', async () => {
    const provider = await call<{ id: string }>({
      method: 'POST',
      path: '/admin/providers',
      body: { name: 'openapi-cc', grantType: 'client_credentials', clientId: 'broker', clientSecret: 'fake-secret', tokenUrl: `${fake.url}/token` },
    });
    expect(provider.status).toBe(201);
    const providerId = provider.body.id;
    expect(
      (
        await call({
          method: 'POST',
          path: '/admin/providers',
          body: { name: 'openapi-cc', grantType: 'client_credentials', clientId: 'broker', tokenUrl: `${fake.url}/token` },
        })
      ).status,
    ).toBe(409);
    expect((await call({ method: 'POST', path: '/admin/providers', body: { name: 'Bad Name', grantType: 'magic' } })).status).toBe(400);
    expect((await call({ method: 'GET', path: '/admin/providers' })).status).toBe(200);
    expect((await call({ method: 'GET', path: '/admin/providers/{id}', params: { id: providerId } })).status).toBe(200);
    expect(
      (await call({ method: 'PATCH', path: '/admin/providers/{id}', params: { id: providerId }, body: { description: 'The fake provider' } })).status,
    ).toBe(200);
    expect((await call({ method: 'POST', path: '/admin/providers/{id}/test', params: { id: providerId }, body: {} })).status).toBe(200);
    const imported = await call<{ items: unknown[] }>({
      method: 'POST',
      path: '/admin/providers/import',
      body: {
        document: {
          openapi: '3.1.0',
          components: { securitySchemes: { o: { type: 'oauth2', flows: { clientCredentials: { tokenUrl: `${fake.url}/token`, scopes: {} } } } } },
        },
        namePrefix: 'openapi-imported',
        clientId: 'imported',
      },
    });
    expect(imported.body.items).toHaveLength(1);
    expect((await call({ method: 'POST', path: '/admin/providers/import', body: { document: 'swagger: "2.0"' } })).status).toBe(400);
    const code = await call<{ id: string }>({
      method: 'POST',
      path: '/admin/providers',
      body: {
        name: 'openapi-code',
        grantType: 'authorization_code',
        clientId: 'broker',
        clientSecret: 'fake-secret',
        authorizationUrl: `${fake.url}/authorize`,
        tokenUrl: `${fake.url}/token`,
      },
    });

    const token = await call<{ id: string }>({
      method: 'POST',
      path: '/admin/tokens',
      body: { name: 'openapi-token', providerId, baseUrl: `${fake.url}/api` },
    });
    expect(token.status).toBe(201);
    const id = token.body.id;
    expect((await call({ method: 'POST', path: '/admin/tokens', body: { name: 'openapi-token', providerId } })).status).toBe(409);
    expect((await call({ method: 'GET', path: '/admin/tokens', query: '?state=valid' })).status).toBe(200);
    expect((await call({ method: 'GET', path: '/admin/tokens', query: '?state=sleepy' })).status).toBe(400);
    expect((await call({ method: 'GET', path: '/tokens/{name}', params: { name: 'openapi-token' } })).status).toBe(200);
    expect((await call({ method: 'GET', path: '/tokens/{name}', params: { name: 'no-such-token' } })).status).toBe(404);
    expect((await call({ method: 'GET', path: '/admin/tokens/{id}', params: { id } })).status).toBe(200);
    expect((await call({ method: 'PATCH', path: '/admin/tokens/{id}', params: { id }, body: { proxyLimits: { connectTimeoutMs: 1000 } } })).status).toBe(200);
    expect((await call({ method: 'POST', path: '/admin/tokens/{id}/refresh', params: { id } })).status).toBe(200);
    const proxied = await call({ method: 'GET', path: '/proxy/{name}/{path}', params: { name: 'openapi-token', path: 'orgs' } });
    expect(proxied.status).toBe(200);
    expect((await call({ method: 'GET', path: '/proxy/{name}/{path}', params: { name: 'no-such-token', path: 'orgs' } })).status).toBe(404);
    expect((await call({ method: 'POST', path: '/admin/tokens/{id}/revoke', params: { id } })).status).toBe(200);
    const pending = await call<{ id: string }>({ method: 'POST', path: '/admin/tokens', body: { name: 'openapi-code-token', providerId: code.body.id } });
    expect((await call({ method: 'POST', path: '/admin/tokens/{id}/authorize', params: { id: pending.body.id } })).status).toBe(200);
    // A provider in use cannot be deleted.
    expect((await call({ method: 'DELETE', path: '/admin/providers/{id}', params: { id: providerId } })).status).toBe(409);
  });

  it('platform instances', async () => {
    const registered = await call<{ id: string }>({ method: 'POST', path: '/admin/instances', body: { name: 'openapi-peer', baseUrl: 'http://127.0.0.1:1' } });
    expect(registered.status).toBe(201);
    const id = registered.body.id;
    expect((await call({ method: 'POST', path: '/admin/instances', body: { name: 'openapi-peer', baseUrl: 'http://127.0.0.1:1' } })).status).toBe(409);
    expect((await call({ method: 'POST', path: '/admin/instances', body: { name: 'Not Valid', baseUrl: 'ftp://x' } })).status).toBe(400);
    expect((await call({ method: 'GET', path: '/admin/instances' })).status).toBe(200);
    expect((await call({ method: 'GET', path: '/admin/instances/{id}', params: { id } })).status).toBe(200);
    expect(
      (
        await call({
          method: 'PATCH',
          path: '/admin/instances/{id}',
          params: { id },
          body: { auth: { type: 'password', username: 'ops', password: 'example-password' } },
        })
      ).status,
    ).toBe(200);
    expect((await call({ method: 'PATCH', path: '/admin/instances/{id}', params: { id }, body: { auth: { type: 'oauth' } } })).status).toBe(400);
    expect((await call({ method: 'POST', path: '/admin/instances/{id}/integration', params: { id } })).status).toBe(201);
    // P2PI against this very platform: its client app, OAuth authentication, the "request" link, and deauthorize.
    const self = await call<{ id: string }>({ method: 'POST', path: '/admin/instances', body: { name: 'openapi-self', baseUrl: t.url } });
    const inbound = await call<{ applicationId: string; appSecret: string }>({
      method: 'POST',
      path: '/admin/integrations',
      body: { name: 'openapi-self-app', permissions: ['*:orgs=read'], redirectUris: [`${t.url}/oauth/callback`] },
    });
    const clientApp = await call<{ id: string }>({
      method: 'POST',
      path: '/admin/instances/{id}/client-app',
      params: { id: self.body.id },
      body: { clientId: inbound.body.applicationId, clientSecret: inbound.body.appSecret },
    });
    expect(clientApp.status).toBe(201);
    expect(
      (
        await call({
          method: 'PATCH',
          path: '/admin/instances/{id}',
          params: { id: self.body.id },
          body: { auth: { type: 'oauth', clientAppId: clientApp.body.id } },
        })
      ).status,
    ).toBe(200);
    expect((await call({ method: 'POST', path: '/admin/instances/{id}/authorize', params: { id: self.body.id } })).status).toBe(200);
    expect((await call({ method: 'POST', path: '/admin/instances/{id}/deauthorize', params: { id: self.body.id } })).status).toBe(200);
    expect((await call({ method: 'GET', path: '/admin/instances/{id}', params: { id: '00000000-0000-4000-8000-000000000000' } })).status).toBe(404);
  });
});

describe('error shapes the document states', () => {
  it('a malformed or oversized JSON body is a REST error at /admin and an RFC 6749 one at the token endpoint', async () => {
    const malformed = await fetch(`${t.url}/admin/integrations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: '{"name":',
    });
    expect((await checker.checkFetch('POST', '/admin/integrations', malformed)).status).toBe(400);
    const huge = await call({ method: 'POST', path: '/admin/integrations', body: { name: 'x'.repeat(300_000), permissions: [] } });
    expect(huge.status).toBe(413);
    const hugeForm = await call<{ error: string }>({
      method: 'POST',
      path: '/oauth/token',
      token: null,
      form: { grant_type: 'client_credentials', scope: 'x'.repeat(300_000) },
    });
    expect(hugeForm).toMatchObject({ status: 413, body: { error: 'invalid_request' } });
    const formAtJsonRoute = await fetch(`${t.url}/admin/integrations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'name=x',
    });
    expect([400, 415]).toContain((await checker.checkFetch('POST', '/admin/integrations', formAtJsonRoute)).status);
  });

  // One error shape everywhere, whoever answers (a service, Nest's router, Fastify's parsers).
  it('an unknown route answers 404 in the REST error shape, error "not_found"', async () => {
    const unknown = await fetch(`${t.url}/admin/no-such-route`, { headers: { authorization: `Bearer ${admin}` } });
    expect(unknown.status).toBe(404);
    checker.checkComponent('RestError', await unknown.json());
  });

  it('an action POST sent as JSON with no body is taken as one without a body', async () => {
    const response = await fetch(`${t.url}/admin/tokens/00000000-0000-4000-8000-000000000000/refresh`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
    });
    expect((await checker.checkFetch('POST', '/admin/tokens/{id}/refresh', response)).status).toBe(404);
  });
});

describe('the DELETE convention the document states', () => {
  // 204 No Content for every DELETE; providers and outbound tokens once answered 200 {"deleted": true}.
  it('deleting a provider and an outbound token answers 204 as documented', async () => {
    const provider = await call<{ id: string }>({
      method: 'POST',
      path: '/admin/providers',
      body: { name: 'openapi-gone', grantType: 'client_credentials', clientId: 'broker', tokenUrl: `${fake.url}/token` },
    });
    const token = await call<{ id: string }>({ method: 'POST', path: '/admin/tokens', body: { name: 'openapi-gone-token', providerId: provider.body.id } });
    expect((await call({ method: 'DELETE', path: '/admin/tokens/{id}', params: { id: token.body.id } })).status).toBe(204);
    expect((await call({ method: 'DELETE', path: '/admin/providers/{id}', params: { id: provider.body.id } })).status).toBe(204);
  });
});

describe('administrators, sessions and the audit log', () => {
  it('answer as documented', async () => {
    const created = await call<{ id: string; oneTimePassword: string }>({
      method: 'POST',
      path: '/admin/users',
      body: { username: 'openapi-user', role: 'viewer' },
    });
    expect(created.status).toBe(201);
    expect((await call({ method: 'POST', path: '/admin/users', body: { username: 'openapi-user', role: 'viewer' } })).status).toBe(409);
    expect((await call({ method: 'GET', path: '/admin/users' })).status).toBe(200);
    expect((await call({ method: 'GET', path: '/admin/users/{id}', params: { id: created.body.id } })).status).toBe(200);
    expect((await call({ method: 'PATCH', path: '/admin/users/{id}', params: { id: created.body.id }, body: { role: 'operator' } })).status).toBe(200);
    expect((await call({ method: 'POST', path: '/admin/users/{id}/password', params: { id: created.body.id } })).status).toBe(200);
    const first = await call<{ access_token: string }>({
      method: 'POST',
      path: '/admin/login',
      token: null,
      body: {
        username: 'openapi-user',
        password: (await call<{ oneTimePassword: string }>({ method: 'POST', path: '/admin/users/{id}/password', params: { id: created.body.id } })).body
          .oneTimePassword,
      },
    });
    expect(first.body).toMatchObject({ must_change_password: true });
    expect((await call({ method: 'GET', path: '/admin/session' })).status).toBe(200);
    expect((await call({ method: 'POST', path: '/admin/session/renew' })).status).toBe(200);
    expect((await call({ method: 'DELETE', path: '/admin/users/{id}', params: { id: created.body.id } })).status).toBe(204);
    const audit = await eventually(async () =>
      ((page) => (page.body.items.length ? page : undefined))(
        await call<{ items: unknown[] }>({ method: 'GET', path: '/admin/audit', query: '?action=admin_user.' }),
      ),
    );
    expect(audit.status).toBe(200);
    expect((await call({ method: 'GET', path: '/admin/audit', query: '?from=yesterday' })).status).toBe(400);
  });
});

describe('the admin password (last: it ends every admin session)', () => {
  it('a wrong current password is refused, a right one changes it and revokes the sessions', async () => {
    const wrong = await call<{ fields: object }>({
      method: 'POST',
      path: '/admin/password',
      body: { currentPassword: 'not-the-password', newPassword: 'another-long-password-42' },
    });
    expect(wrong).toMatchObject({ status: 400, body: { fields: { currentPassword: ['is wrong'] } } });
    expect((await call({ method: 'POST', path: '/admin/password', body: { currentPassword: ADMIN_PASSWORD, newPassword: 'short' } })).status).toBe(400);
    expect(
      (await call({ method: 'POST', path: '/admin/password', body: { currentPassword: ADMIN_PASSWORD, newPassword: 'another-long-password-42' } })).status,
    ).toBe(204);
    // Every session is revoked through the deny-list event, which reaches this gateway's verifier shortly after.
    await eventually(async () => (await call({ method: 'GET', path: '/admin/permissions' })).status === 401);
  });
});
