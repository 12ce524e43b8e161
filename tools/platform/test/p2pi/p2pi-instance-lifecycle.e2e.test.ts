import { eventually } from '@tessera/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminBrowser } from '../support/admin-browser.js';
import { ADMIN_PASSWORD, startTestPlatform, type TestPlatform } from '../support/test-platform.js';

/** The life of a platform instance record past its set-up: credentials checked, replaced, re-addressed and deleted. */
let one: TestPlatform;
let two: TestPlatform;
const admin: Record<string, string> = {};

async function api<T = Record<string, unknown>>(platform: TestPlatform, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  admin[platform.url] ??= await platform.adminToken();
  const response = await fetch(`${platform.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${admin[platform.url]}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
}

interface Integration {
  id: string;
  applicationId: string;
  appSecret: string;
}
interface InstanceView {
  id: string;
  baseUrl: string;
  auth: { type: string; clientAppId?: string };
  token: { tokenId: string; state: string; expiresAt: string | null; lastMessage: string | null } | null;
}

const providerIds = async () => (await api<{ items: { id: string }[] }>(one, 'GET', '/admin/providers?limit=500')).body.items.map((p) => p.id);
const liveGrants = async (integration: Integration) =>
  (await api<{ items: unknown[] }>(two, 'GET', `/admin/integrations/${integration.id}/tokens`)).body.items.length;

/** Instance 2's integration for Instance 1, and Instance 1's record of Instance 2 with OAuth chosen. */
async function setUp(name: string): Promise<{ integration: Integration; instance: InstanceView; clientAppId: string }> {
  const oneOnTwo = await api<{ id: string }>(two, 'POST', '/admin/instances', { name: `${name}-caller`, baseUrl: one.url });
  const integration = (await api<Integration>(two, 'POST', `/admin/instances/${oneOnTwo.body.id}/integration`)).body;
  const instance = (await api<InstanceView>(one, 'POST', '/admin/instances', { name, baseUrl: two.url })).body;
  const app = await api<{ id: string }>(one, 'POST', `/admin/instances/${instance.id}/client-app`, {
    clientId: integration.applicationId,
    clientSecret: integration.appSecret,
  });
  expect(app.status, JSON.stringify(app.body)).toBe(201);
  await api(one, 'PATCH', `/admin/instances/${instance.id}`, { auth: { type: 'oauth', clientAppId: app.body.id } });
  return { integration, instance, clientAppId: app.body.id };
}

/** The "request" link, Instance 2's admin signing in and consenting, until the record holds a valid token. */
async function authorize(instance: InstanceView): Promise<InstanceView> {
  const response = await fetch(`${one.url}/admin/instances/${instance.id}/authorize`, {
    method: 'POST',
    headers: { authorization: `Bearer ${admin[one.url]}` },
  });
  const { authorizationUrl } = (await response.json()) as { authorizationUrl: string };
  const browser = new AdminBrowser();
  browser.keep(response.headers);
  const loginPage = await (await browser.get(authorizationUrl)).text();
  const consentPage = await (await browser.submit(two.url, loginPage, { action: 'login', username: 'admin', password: ADMIN_PASSWORD })).text();
  const approved = await browser.submit(two.url, consentPage, { action: 'approve' });
  expect((await browser.get(approved.headers.get('location')!)).status).toBe(200);
  return eventually(async () => {
    const { body } = await api<InstanceView>(one, 'GET', `/admin/instances/${instance.id}`);
    return body.token?.state === 'valid' ? body : undefined;
  });
}

beforeAll(async () => {
  [one, two] = await Promise.all([startTestPlatform(), startTestPlatform()]);
});
afterAll(async () => {
  await Promise.all([one?.stop(), two?.stop()]);
});

describe('a platform instance record, after its set-up', () => {
  it('refuses a client app whose secret the instance does not accept, and keeps one client app however often it is set', async () => {
    const oneOnTwo = await api<{ id: string }>(two, 'POST', '/admin/instances', { name: 'checked-caller', baseUrl: one.url });
    const integration = (await api<Integration>(two, 'POST', `/admin/instances/${oneOnTwo.body.id}/integration`)).body;
    const instance = (await api<InstanceView>(one, 'POST', '/admin/instances', { name: 'checked', baseUrl: two.url })).body;
    const before = await providerIds();

    const wrong = await api<{ fields: Record<string, string[]> }>(one, 'POST', `/admin/instances/${instance.id}/client-app`, {
      clientId: integration.applicationId,
      clientSecret: 'not-the-secret',
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.fields.clientSecret[0]).toMatch(/refused this client ID and secret/);
    expect(await providerIds()).toEqual(before);

    const first = await api<{ id: string }>(one, 'POST', `/admin/instances/${instance.id}/client-app`, {
      clientId: integration.applicationId,
      clientSecret: integration.appSecret,
    });
    const second = await api<{ id: string }>(one, 'POST', `/admin/instances/${instance.id}/client-app`, {
      clientId: integration.applicationId,
      clientSecret: integration.appSecret,
    });
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.body.id).toBe(first.body.id);
    expect((await providerIds()).filter((id) => !before.includes(id))).toEqual([first.body.id]);
  });

  it('after the instance revokes the grant, the record and the outbound token both read revoked, with no expiry', async () => {
    const { integration, instance } = await setUp('revoking');
    const held = await authorize(instance);
    const [family] = (await api<{ items: { id: string }[] }>(two, 'GET', `/admin/integrations/${integration.id}/tokens`)).body.items;
    expect((await api(two, 'DELETE', `/admin/integrations/${integration.id}/tokens/${family.id}`)).status).toBe(204);

    await eventually(async () => (await api(one, 'GET', '/proxy/instances/revoking/api/whoami')).status !== 200, 3000);
    const record = await eventually(async () => {
      const { body } = await api<InstanceView>(one, 'GET', `/admin/instances/${instance.id}`);
      return body.token?.state === 'revoked' ? body : undefined;
    });
    const { body: token } = await api<{ state: string; expiresAt: string | null }>(one, 'GET', `/admin/tokens/${held.token!.tokenId}`);
    expect({ record: [record.token!.state, record.token!.expiresAt], token: [token.state, token.expiresAt] }).toEqual({
      record: ['revoked', null],
      token: ['revoked', null],
    });
  });

  it('revokes and deletes the token it held when the instance moves to another address', async () => {
    const { integration, instance } = await setUp('moving');
    const held = await authorize(instance);
    expect(await liveGrants(integration)).toBe(1);
    const moved = await api<InstanceView>(one, 'PATCH', `/admin/instances/${instance.id}`, { baseUrl: 'http://127.0.0.1:9' });
    expect(moved.body.token).toBeNull();
    expect(await liveGrants(integration)).toBe(0);
    expect((await api(one, 'GET', `/admin/tokens/${held.token!.tokenId}`)).status).toBe(404);
  });

  it('DELETE /admin/instances/:id revokes its token at the instance, deletes its token and client app here, and frees the name', async () => {
    const { integration, instance, clientAppId } = await setUp('leaving');
    const held = await authorize(instance);
    expect((await api(one, 'DELETE', `/admin/instances/${instance.id}`)).status).toBe(204);
    expect((await api(one, 'GET', `/admin/instances/${instance.id}`)).status).toBe(404);
    expect((await api(one, 'DELETE', `/admin/instances/${instance.id}`)).status).toBe(404);
    expect(await liveGrants(integration)).toBe(0);
    expect((await api(one, 'GET', `/admin/tokens/${held.token!.tokenId}`)).status).toBe(404);
    expect((await api(one, 'GET', `/admin/providers/${clientAppId}`)).status).toBe(404);
    await one.events.waitFor((e) => e.type === 'tessera.events.registry.instance.deleted' && (e.data as { instanceId: string }).instanceId === instance.id);

    // The name can be registered again, and the copies the auth server and the broker keep follow the new record.
    const again = await api<InstanceView>(one, 'POST', '/admin/instances', { name: 'leaving', baseUrl: two.url });
    expect(again.status).toBe(201);
    const copies = () =>
      Promise.all(
        ['auth.known_instance', 'broker.peer_instance'].map((table) =>
          one.db.query<{ instance_id: string }>(`SELECT instance_id FROM ${table} WHERE name = 'leaving'`),
        ),
      );
    await eventually(async () => (await copies()).every((rows) => rows.length === 1 && rows[0].instance_id === again.body.id), 5000);
  });
});
