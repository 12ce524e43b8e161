import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '@tessera/testing';
import { ADMIN_PASSWORD, login } from '../support/sign-in.js';
import { basic, form, json, sharedPlatform, type SharedPlatform } from '../support/shared-platform.js';

let t: SharedPlatform;
let admin: string;

async function api(method: string, path: string, body?: unknown, token = admin) {
  return fetch(`${t.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
}

beforeAll(async () => {
  t = await sharedPlatform();
  admin = await t.adminToken();
});
afterAll(() => t?.stop());

describe('admin authentication', () => {
  it('refuses /admin without a token, with a bad token, and after a wrong password', async () => {
    expect((await fetch(`${t.url}/admin/integrations`)).status).toBe(401);
    const bad = await api('GET', '/admin/integrations', undefined, 'not.a.token');
    expect(bad.status).toBe(401);
    expect(bad.headers.get('www-authenticate')).toMatch(/Bearer.*invalid_token/);
    expect((await login(t.url, 'admin', 'wrong-password-123')).status).toBe(401);
  });

  it('issues a short-lived admin token holding *:platform=admin', async () => {
    const response = await login(t.url, 'admin', ADMIN_PASSWORD);
    const body = await json(response);
    expect(body).toMatchObject({ token_type: 'Bearer' });
    // The bootstrap admin is an owner: its token lists the owner role and every lower one, *:platform=admin among them.
    expect(String(body.scope).split(' ')).toContain('*:platform=admin');
    expect(body.expires_in).toBeLessThanOrEqual(3600);
  });

  it('lets an integration granted *:platform=admin in, and answers 403 to one without it', async () => {
    const ops = await json<{ applicationId: string; appSecret: string }>(
      await api('POST', '/admin/integrations', { name: 'ops-bot', permissions: ['*:platform=admin'] }),
    );
    const reader = await json<{ applicationId: string; appSecret: string }>(
      await api('POST', '/admin/integrations', { name: 'reader-bot', permissions: ['*:orgs=read'] }),
    );
    const token = async (c: { applicationId: string; appSecret: string }) =>
      (
        await json<{ access_token: string }>(
          await fetch(`${t.url}/oauth/token`, {
            method: 'POST',
            ...form({ grant_type: 'client_credentials' }),
            headers: { ...form({}).headers, authorization: basic(c.applicationId, c.appSecret) },
          }),
        )
      ).access_token;
    expect((await api('GET', '/admin/integrations', undefined, await token(ops))).status).toBe(200);
    const denied = await api('GET', '/admin/integrations', undefined, await token(reader));
    expect(denied.status).toBe(403);
    expect(denied.headers.get('www-authenticate')).toMatch(/insufficient_scope/);
  });

  it('rate limits failed logins', async () => {
    const attempt = () => login(t.url, 'nobody', 'wrong-password-123');
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await attempt()).status);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses[6]).toBe(429);
  });
});

describe('integrations', () => {
  it('creates an integration with a generated application id and a 256-bit secret shown once, with its client configuration', async () => {
    const response = await api('POST', '/admin/integrations', {
      name: 'Acme instance',
      permissions: ['*:orgs=read', 'acme:users=read'],
      redirectUris: ['https://acme.example/callback'],
    });
    expect(response.status).toBe(201);
    const created = await json(response);
    expect(created).toMatchObject({
      name: 'Acme instance',
      enabled: true,
      refreshTokensValidUntilRevoked: false,
      permissions: ['*:orgs=read', 'acme:users=read'],
      accessTokenTtlSeconds: 3600,
    });
    expect(String(created.applicationId).length).toBeGreaterThanOrEqual(32);
    expect(Buffer.from(String(created.appSecret), 'base64url').length).toBeGreaterThanOrEqual(32);
    const config = created.config as { hocon: string; env: Record<string, string> };
    expect(config.hocon).toContain('p6auth {');
    expect(config.hocon).toContain(`id: "${created.applicationId}"`);
    expect(config.hocon).toContain(`secret: "${created.appSecret}"`);
    expect(config.hocon).toContain('redirect.uri: "https://acme.example/callback"');
    expect(config.env.P6AUTH_CLIENT_SECRET).toBe(created.appSecret);

    const read = await json(await api('GET', `/admin/integrations/${created.id}`));
    expect(read).not.toHaveProperty('appSecret');
    expect(JSON.stringify(read)).not.toContain(String(created.appSecret));
    const [row] = await t.db.query(`SELECT * FROM registry.integration WHERE id = $1`, [created.id]);
    expect(JSON.stringify(row)).not.toContain(String(created.appSecret));

    const event = await t.events.waitFor(
      (e) => e.type === 'tessera.events.registry.integration.created' && (e.data as { integrationId: string }).integrationId === created.id,
    );
    expect(JSON.stringify(event)).not.toContain(String(created.appSecret));
  });

  it('names the bad permission entry, and refuses duplicates and short application ids', async () => {
    const bad = await api('POST', '/admin/integrations', { name: 'bad', permissions: ['*:orgs=read', 'users:read'] });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await json(bad))).toContain('permissions[1] \\"users:read\\"');
    expect((await api('POST', '/admin/integrations', { name: 'short', permissions: [], applicationId: 'too-short' })).status).toBe(400);
    const applicationId = 'custom-application-id-0123456789abcdef';
    expect((await api('POST', '/admin/integrations', { name: 'custom', permissions: [], applicationId })).status).toBe(201);
    expect((await api('POST', '/admin/integrations', { name: 'custom', permissions: [] })).status).toBe(409);
    expect((await api('POST', '/admin/integrations', { name: 'custom-2', permissions: [], applicationId })).status).toBe(409);
    expect((await api('POST', '/admin/integrations', { name: 'x', permissions: [], extra: 1 })).status).toBe(400);
    expect((await api('GET', '/admin/integrations/00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });

  it('lists with paging and filters, updates, and lists permissions in use', async () => {
    await api('POST', '/admin/integrations', { name: 'filter-a', permissions: ['beta:users=read'], enabled: false });
    await api('POST', '/admin/integrations', { name: 'filter-b', permissions: ['beta:users=read'] });
    const page = await json<{ items: { name: string; enabled: boolean }[]; total: number }>(await api('GET', '/admin/integrations?name=FILTER-&enabled=false'));
    expect(page.items.map((i) => i.name)).toEqual(['filter-a']);
    const paged = await json<{ items: unknown[]; total: number; limit: number }>(await api('GET', '/admin/integrations?limit=1&offset=1'));
    expect(paged.items).toHaveLength(1);
    expect(paged.total).toBeGreaterThan(2);
    const permissions = await json<{ items: { permission: string; integrations: number }[] }>(await api('GET', '/admin/permissions'));
    expect(permissions.items).toContainEqual({ permission: 'beta:users=read', integrations: 2 });
    const b = page.items.length && (await json<{ items: { id: string; name: string }[] }>(await api('GET', '/admin/integrations?name=filter-b'))).items[0];
    const patched = await api('PATCH', `/admin/integrations/${(b as { id: string }).id}`, { name: 'filter-b2', accessTokenTtlSeconds: 120 });
    expect(await json(patched)).toMatchObject({ name: 'filter-b2', accessTokenTtlSeconds: 120 });
    expect((await api('PATCH', `/admin/integrations/${(b as { id: string }).id}`, { accessTokenTtlSeconds: 5 })).status).toBe(400);
  });

  it('rotates the secret: the new one works at once, the old one only for the grace period', async () => {
    const created = await json<{ id: string; applicationId: string; appSecret: string }>(
      await api('POST', '/admin/integrations', { name: 'rotating', permissions: ['*:orgs=read'] }),
    );
    const tokenWith = (secret: string) =>
      fetch(`${t.url}/oauth/token`, {
        method: 'POST',
        body: 'grant_type=client_credentials',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(created.applicationId, secret) },
      });
    const graced = await json<{ appSecret: string }>(await api('POST', `/admin/integrations/${created.id}/secret`, { graceSeconds: 300 }));
    expect(graced.appSecret).not.toBe(created.appSecret);
    expect((await tokenWith(graced.appSecret)).status).toBe(200);
    expect((await tokenWith(created.appSecret)).status).toBe(200);
    const immediate = await json<{ appSecret: string }>(await api('POST', `/admin/integrations/${created.id}/secret`, {}));
    expect((await tokenWith(immediate.appSecret)).status).toBe(200);
    // auth-server learns of the rotation from the integration.updated event, within moments.
    await eventually(async () => (await tokenWith(graced.appSecret)).status === 401, 3000);
  });
});

describe('integration events', () => {
  it('say what changed — the integration before the change, until when a replaced secret works — and leave what to revoke to auth-server', async () => {
    const created = await json<{ id: string }>(await api('POST', '/admin/integrations', { name: 'facts', permissions: ['*:orgs=read', 'acme:users=read'] }));
    await api('PATCH', `/admin/integrations/${created.id}`, { enabled: false, permissions: ['*:orgs=read'] });
    const updated = await t.events.waitFor(
      (e) => e.type === 'tessera.events.registry.integration.updated' && (e.data as { integrationId: string }).integrationId === created.id,
    );
    expect(updated.data).toMatchObject({
      change: 'updated',
      enabled: false,
      permissions: ['*:orgs=read'],
      previous: { enabled: true, permissions: ['*:orgs=read', 'acme:users=read'] },
    });
    await api('POST', `/admin/integrations/${created.id}/secret`, {});
    const rotated = await t.events.waitFor(
      (e) =>
        (e.data as { change?: string; integrationId: string }).change === 'secret_rotated' &&
        (e.data as { integrationId: string }).integrationId === created.id,
    );
    expect(rotated.data).toMatchObject({ previousSecretValidUntil: null });
    await api('DELETE', `/admin/integrations/${created.id}`);
    const deleted = await t.events.waitFor(
      (e) => e.type === 'tessera.events.registry.integration.deleted' && (e.data as { integrationId: string }).integrationId === created.id,
    );
    // No verdict of auth-server's in any of them: whether and why tokens are revoked is the consumer's decision.
    for (const event of [updated, rotated, deleted]) {
      expect(event.data).not.toHaveProperty('revokeTokens');
      expect(event.data).not.toHaveProperty('reason');
      expect(event.data).not.toHaveProperty('accessTokensOnly');
    }
  });
});

describe('platform instances (P2PI records)', () => {
  it('creates the integration an instance needs, with the two permissions P6 names, and its application.conf block', async () => {
    const instance = await json<{ id: string }>(await api('POST', '/admin/instances', { name: 'instance-2', baseUrl: 'https://i2.example' }));
    const response = await api('POST', `/admin/instances/${instance.id}/integration`);
    expect(response.status).toBe(201);
    const created = await json<{ permissions: string[]; redirectUris: string[]; config: { hocon: string }; appSecret: string }>(response);
    expect(created.permissions).toEqual(['*:orgs=read', 'instance-2:users=read']);
    expect(created.redirectUris).toEqual(['https://i2.example/oauth/callback']);
    expect(created.config.hocon).toContain(`secret: "${created.appSecret}"`);
  });

  it('switches an instance to OAuth or password authentication, storing the password encrypted and never returning it', async () => {
    const instance = await json<{ id: string; auth: unknown; token: unknown }>(
      await api('POST', '/admin/instances', { name: 'instance-3', baseUrl: 'https://i3.example' }),
    );
    expect(instance.auth).toEqual({ type: 'none' });
    expect(instance.token).toBeNull();
    const password = await api('PATCH', `/admin/instances/${instance.id}`, { auth: { type: 'password', username: 'svc', password: 'pa55-word-secret' } });
    expect(await json(password)).toMatchObject({ auth: { type: 'password', username: 'svc' } });
    const [row] = await t.db.query(`SELECT * FROM registry.platform_instance WHERE id = $1`, [instance.id]);
    expect(JSON.stringify(row)).not.toContain('pa55-word-secret');
    expect(JSON.stringify(await json(await api('GET', `/admin/instances/${instance.id}`)))).not.toContain('pa55-word-secret');
    const bad = await api('PATCH', `/admin/instances/${instance.id}`, { auth: { type: 'oauth' } });
    expect(bad.status).toBe(400);
    expect(Object.keys((await json<{ fields: object }>(bad)).fields)).toContain('auth.clientAppId');
    const unknownApp = await api('PATCH', `/admin/instances/${instance.id}`, { auth: { type: 'oauth', clientAppId: '6f9619ff-8b86-4d11-b42d-00c04fc964ff' } });
    expect(unknownApp.status).toBe(400);
    expect((await json<{ fields: Record<string, string[]> }>(unknownApp)).fields['auth.clientAppId']).toEqual(['no outbound client app has this id']);
    const provider = await json<{ id: string }>(
      await api('POST', '/admin/providers', {
        name: 'i3-app',
        grantType: 'authorization_code',
        clientId: 'c',
        clientSecret: 's',
        authorizationUrl: 'https://i3.example/oauth/authorize',
        tokenUrl: 'https://i3.example/oauth/token',
      }),
    );
    const clientAppId = provider.id;
    expect(await json(await api('PATCH', `/admin/instances/${instance.id}`, { auth: { type: 'oauth', clientAppId } }))).toMatchObject({
      auth: { type: 'oauth', clientAppId },
    });
    await t.events.waitFor((e) => e.type === 'tessera.events.registry.instance.updated' && (e.data as { instanceId: string }).instanceId === instance.id);
  });
});
