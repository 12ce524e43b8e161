import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, json, sharedPlatform, type SharedPlatform } from '../support/shared-platform.js';
import { startTestPlatform } from '../support/test-platform.js';

/**
 * One error shape everywhere, so a client handles errors one way. REST errors are `{statusCode, error, message, fields?}` with
 * `error` a snake_case code, whoever raised them (a service, Nest's router, Fastify's parsers); OAuth endpoints answer
 * RFC 6749 `{error, error_description}`; an action POST with `Content-Type: application/json` and no body is a POST
 * without a body; every DELETE answers 204.
 */
let t: SharedPlatform;
let adminToken: string;
const NO_SUCH_ID = '6f9619ff-8b86-4d11-b42d-00c04fc964ff';
const admin = (extra: Record<string, string> = {}) => ({ authorization: `Bearer ${adminToken}`, ...extra });
const asJson = { 'content-type': 'application/json' };

async function restError(response: Response): Promise<Record<string, unknown>> {
  const body = await json(response);
  expect(body, JSON.stringify(body)).toMatchObject({
    statusCode: response.status,
    error: expect.stringMatching(/^[a-z][a-z_]*$/),
    message: expect.any(String),
  });
  expect(
    Object.keys(body).every((key) => ['statusCode', 'error', 'message', 'fields'].includes(key)),
    JSON.stringify(body),
  ).toBe(true);
  return body;
}

beforeAll(async () => {
  t = await sharedPlatform();
  adminToken = await t.adminToken();
});
afterAll(() => t?.stop());

describe('an action POST with Content-Type: application/json and no body', () => {
  it.each([
    `/admin/tokens/${NO_SUCH_ID}/refresh`,
    `/admin/tokens/${NO_SUCH_ID}/authorize`,
    `/admin/tokens/${NO_SUCH_ID}/revoke`,
    `/admin/instances/${NO_SUCH_ID}/authorize`,
    `/admin/instances/${NO_SUCH_ID}/integration`,
  ])('POST %s reaches the route (404 for the unknown id, not a 400 about the body)', async (path) => {
    const response = await fetch(`${t.url}${path}`, { method: 'POST', headers: admin(asJson) });
    expect(response.status).toBe(404);
    expect(await restError(response)).toMatchObject({ error: 'not_found' });
  });

  it('POST /admin/logout with a JSON content type and no body signs out (204)', async () => {
    const token = await t.adminToken();
    const response = await fetch(`${t.url}/admin/logout`, { method: 'POST', headers: { authorization: `Bearer ${token}`, ...asJson } });
    expect(response.status).toBe(204);
  });

  it('a route that needs a body still answers 400 naming the missing fields', async () => {
    const response = await fetch(`${t.url}/admin/integrations`, { method: 'POST', headers: admin(asJson) });
    expect(response.status).toBe(400);
    expect(await restError(response)).toMatchObject({ error: 'validation_failed', fields: { name: expect.any(Array) } });
  });
});

describe('one REST error shape', () => {
  it('malformed JSON is a 400 with a snake_case error code', async () => {
    const response = await fetch(`${t.url}/admin/integrations`, { method: 'POST', headers: admin(asJson), body: '{"name": ' });
    expect(response.status).toBe(400);
    expect(await restError(response)).toMatchObject({ error: 'bad_request' });
  });

  it.each([
    ['GET', '/admin/nothing-here'],
    ['POST', '/no/such/route'],
    ['DELETE', '/admin/instances'],
  ])('an unknown route (%s %s) is 404 not_found', async (method, path) => {
    const response = await fetch(`${t.url}${path}`, { method, headers: admin() });
    expect(response.status).toBe(404);
    expect(await restError(response)).toMatchObject({ error: 'not_found' });
  });

  it('an unsupported media type is 415 unsupported_media_type', async () => {
    const response = await fetch(`${t.url}/admin/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'username=admin',
    });
    expect([400, 415]).toContain(response.status);
    await restError(response);
  });
});

describe('OAuth endpoints answer RFC 6749 errors only', () => {
  it('a wrong client secret over HTTP Basic is 401 invalid_client with WWW-Authenticate', async () => {
    const response = await fetch(`${t.url}/oauth/token`, {
      method: 'POST',
      headers: { authorization: basic('nobody', 'wrong'), 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Basic /);
    expect(await json(response)).toEqual({ error: 'invalid_client', error_description: expect.any(String) });
  });

  it('the client registry out of reach is 503 temporarily_unavailable with Retry-After (auth-server raises the code, the gateway picks the status)', async () => {
    const withoutRegistry = await startTestPlatform({ services: ['auth-server', 'gateway'] });
    try {
      const response = await fetch(`${withoutRegistry.url}/oauth/token`, {
        method: 'POST',
        headers: { authorization: basic('some-client', 'some-secret'), 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials',
      });
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('1');
      expect(await json(response)).toEqual({ error: 'temporarily_unavailable', error_description: expect.any(String) });
    } finally {
      await withoutRegistry.stop();
    }
  });

  it('a JSON body at the token endpoint is 400 invalid_request', async () => {
    const response = await fetch(`${t.url}/oauth/token`, { method: 'POST', headers: asJson, body: '{"grant_type": ' });
    expect(response.status).toBe(400);
    expect(await json(response)).toEqual({ error: 'invalid_request', error_description: expect.any(String) });
  });
});

describe('every DELETE answers 204 No Content', () => {
  it('deleting a provider and a token', async () => {
    const provider = await json<{ id: string }>(
      await fetch(`${t.url}/admin/providers`, {
        method: 'POST',
        headers: admin(asJson),
        body: JSON.stringify({
          name: 'gone-soon',
          grantType: 'client_credentials',
          clientId: 'c',
          clientSecret: 's',
          tokenUrl: 'https://provider.example/token',
        }),
      }),
    );
    const token = await json<{ id: string }>(
      await fetch(`${t.url}/admin/tokens`, { method: 'POST', headers: admin(asJson), body: JSON.stringify({ name: 'gone-soon', providerId: provider.id }) }),
    );
    for (const path of [`/admin/tokens/${token.id}`, `/admin/providers/${provider.id}`]) {
      const response = await fetch(`${t.url}${path}`, { method: 'DELETE', headers: admin() });
      expect(response.status, path).toBe(204);
      expect(await response.text(), path).toBe('');
      expect((await fetch(`${t.url}${path}`, { headers: admin() })).status, path).toBe(404);
    }
  });
});
