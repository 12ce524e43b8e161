import { eventually } from '@tessera/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetAdminPassword } from '../../src/reset-admin-password.js';
import { api, claims, createAdmin, login, signIn } from '../support/admin-api.js';
import { ADMIN_PASSWORD, basic, form, json, startTestPlatform, type TestPlatform } from '../support/test-platform.js';

/** Named administrators with roles, the last-owner rule, resets, and sessions that renew and end. */
describe('administrators and roles', () => {
  let t: TestPlatform;
  let owner: string;
  // Each sign-in and password change is an argon2id hash: on a loaded machine a few of them pass a 2 s bus timeout.
  beforeAll(async () => {
    t = await startTestPlatform({ env: { TESSERA_BUS_TIMEOUT_MS: '15000' } });
    owner = await t.adminToken();
  });
  afterAll(() => t?.stop());

  it('the bootstrap admin is the first owner; a new user signs in with a one-time password that can only be changed', async () => {
    const users = await json<{ items: { username: string; role: string }[] }>(await api(t.url, owner, 'GET', '/admin/users'));
    expect(users.items).toEqual([expect.objectContaining({ username: 'admin', role: 'owner' })]);
    const created = await api(t.url, owner, 'POST', '/admin/users', { username: 'olga', role: 'viewer' });
    expect(created.status).toBe(201);
    expect(created.headers.get('cache-control')).toBe('no-store');
    const { oneTimePassword, mustChangePassword } = await json<{ oneTimePassword: string; mustChangePassword: boolean }>(created);
    expect(mustChangePassword).toBe(true);
    expect((await api(t.url, owner, 'POST', '/admin/users', { username: 'olga', role: 'admin' })).status).toBe(409);
    expect((await api(t.url, owner, 'POST', '/admin/users', { username: 'Bad Name', role: 'emperor' })).status).toBe(400);

    const first = await signIn(t.url, 'olga', oneTimePassword);
    expect(first).toMatchObject({ must_change_password: true, scope: '' });
    expect((await api(t.url, first.access_token, 'GET', '/admin/integrations')).status).toBe(403);
    expect(await json(await api(t.url, first.access_token, 'GET', '/admin/session'))).toMatchObject({
      username: 'olga',
      role: 'viewer',
      mustChangePassword: true,
    });
    expect(
      (await api(t.url, first.access_token, 'POST', '/admin/password', { currentPassword: oneTimePassword, newPassword: 'olga reads everything' })).status,
    ).toBe(204);
    expect((await login(t.url, 'olga', oneTimePassword)).status).toBe(401);
    const viewer = await signIn(t.url, 'olga', 'olga reads everything');
    expect(viewer.must_change_password).toBeUndefined();
    expect(viewer.scope).toBe('*:platform=read');
  });

  it('each role is refused (403) outside what it may do; an integration can hold a role too', async () => {
    const provider = await json<{ id: string }>(
      await api(t.url, owner, 'POST', '/admin/providers', {
        name: 'crm',
        grantType: 'client_credentials',
        clientId: 'c',
        clientSecret: 'provider secret',
        tokenUrl: 'https://crm.example.com/token',
      }),
    );
    const integration = await json<{ id: string; applicationId: string; appSecret: string }>(
      await api(t.url, owner, 'POST', '/admin/integrations', { name: 'acme', permissions: ['*:orgs=read'] }),
    );
    const viewer = (await createAdmin(t.url, owner, 'vera', 'viewer')).token;
    const operator = (await createAdmin(t.url, owner, 'otto', 'operator')).token;
    const admin = (await createAdmin(t.url, owner, 'ada', 'admin')).token;
    const status = async (token: string, method: string, path: string, body?: unknown) => (await api(t.url, token, method, path, body)).status;

    // viewer: reads, changes nothing
    expect(await status(viewer, 'GET', '/admin/integrations')).toBe(200);
    expect(await status(viewer, 'GET', '/admin/tokens')).toBe(200);
    expect(await status(viewer, 'POST', '/admin/instances', { name: 'v1', baseUrl: 'https://v1.example.com' })).toBe(403);
    expect(await status(viewer, 'POST', '/admin/tokens', { name: 'v-token', providerId: provider.id })).toBe(403);
    expect(await status(viewer, 'DELETE', `/admin/integrations/${integration.id}/tokens`)).toBe(403);
    expect(await status(viewer, 'GET', '/admin/audit')).toBe(403);
    expect(await status(viewer, 'GET', '/admin/users')).toBe(403);

    // operator: outbound tokens, instances, revocations; no secrets, no integration or provider changes
    const token = await api(t.url, operator, 'POST', '/admin/tokens', { name: 'o-token', providerId: provider.id });
    expect(token.status).toBe(201);
    const tokenId = (await json<{ id: string }>(token)).id;
    expect(await status(operator, 'PATCH', `/admin/tokens/${tokenId}`, { scopes: ['read'] })).toBe(200);
    expect(await status(operator, 'POST', `/admin/tokens/${tokenId}/revoke`)).toBe(200);
    expect(await status(operator, 'PATCH', `/admin/tokens/${tokenId}`, { password: 'a resource owner password' })).toBe(403);
    const instance = await api(t.url, operator, 'POST', '/admin/instances', { name: 'o1', baseUrl: 'https://o1.example.com' });
    expect(instance.status).toBe(201);
    const instanceId = (await json<{ id: string }>(instance)).id;
    expect(await status(operator, 'PATCH', `/admin/instances/${instanceId}`, { baseUrl: 'https://o1.example.org' })).toBe(403);
    expect(
      await status(operator, 'PATCH', `/admin/instances/${instanceId}`, { auth: { type: 'password', username: 'u', password: 'an instance password' } }),
    ).toBe(403);
    expect(await status(operator, 'POST', `/admin/instances/${instanceId}/integration`)).toBe(403);
    expect(await status(operator, 'DELETE', `/admin/integrations/${integration.id}/tokens`)).toBe(204);
    expect(await status(operator, 'GET', '/tokens/o-token')).toBe(403);
    expect(await status(operator, 'POST', '/admin/integrations', { name: 'o-int', permissions: ['*:orgs=read'] })).toBe(403);
    expect(await status(operator, 'PATCH', `/admin/integrations/${integration.id}`, { enabled: false })).toBe(403);
    expect(await status(operator, 'POST', `/admin/integrations/${integration.id}/secret`, {})).toBe(403);
    expect(await status(operator, 'PATCH', `/admin/providers/${provider.id}`, { clientSecret: 'x' })).toBe(403);
    expect(
      await status(operator, 'POST', '/admin/providers', {
        name: 'p2',
        grantType: 'client_credentials',
        clientId: 'c',
        tokenUrl: 'https://p2.example.com/token',
      }),
    ).toBe(403);
    expect(await status(operator, 'GET', '/admin/users')).toBe(403);

    // admin: everything but the administrators
    expect(await status(admin, 'POST', '/admin/integrations', { name: 'a-int', permissions: ['*:orgs=read'] })).toBe(201);
    expect(await status(admin, 'GET', '/admin/audit')).toBe(200);
    expect(await status(admin, 'GET', '/admin/users')).toBe(403);
    expect(await status(admin, 'POST', '/admin/users', { username: 'mallory', role: 'owner' })).toBe(403);

    // an integration granted the operator role
    const ops = await json<{ applicationId: string; appSecret: string }>(
      await api(t.url, owner, 'POST', '/admin/integrations', { name: 'ops-bot', permissions: ['*:platform=operate'] }),
    );
    const { body, headers } = form({ grant_type: 'client_credentials' });
    const issued = await json<{ access_token: string }>(
      await fetch(`${t.url}/oauth/token`, { method: 'POST', body, headers: { ...headers, authorization: basic(ops.applicationId, ops.appSecret) } }),
    );
    expect(await status(issued.access_token, 'POST', '/admin/instances', { name: 'bot1', baseUrl: 'https://bot1.example.com' })).toBe(201);
    expect(await status(issued.access_token, 'POST', '/admin/integrations', { name: 'bot-int', permissions: ['*:orgs=read'] })).toBe(403);
  });

  it('the Activity stream carries audit events only to those who may read the audit log', async () => {
    const viewer = (await createAdmin(t.url, owner, 'stream-viewer', 'viewer')).token;
    const types = async (token: string) => {
      const controller = new AbortController();
      const response = await fetch(`${t.url}/admin/events/stream?replaySeconds=300`, {
        headers: { authorization: `Bearer ${token}` },
        signal: controller.signal,
      });
      expect(response.status).toBe(200);
      const reader = response.body!.getReader();
      let text = '';
      const deadline = Date.now() + 2000;
      while (Date.now() < deadline && !text.includes('tessera.events.registry.integration.created')) {
        const chunk = await Promise.race([reader.read(), new Promise<{ value?: undefined }>((resolve) => setTimeout(() => resolve({}), 500))]);
        if (chunk.value) text += new TextDecoder().decode(chunk.value);
      }
      await new Promise((resolve) => setTimeout(resolve, 300));
      controller.abort();
      return text;
    };
    const asOwner = await types(owner);
    expect(asOwner).toContain('.audit.recorded');
    const asViewer = await types(viewer);
    expect(asViewer).toContain('tessera.events.registry.integration.created');
    expect(asViewer).not.toContain('.audit.recorded');
  });

  it('the last owner cannot be demoted or removed (409); with a second owner both work, and a role change ends the sessions', async () => {
    const users = await json<{ items: { id: string; username: string }[] }>(await api(t.url, owner, 'GET', '/admin/users'));
    const bootstrap = users.items.find((u) => u.username === 'admin')!;
    expect((await api(t.url, owner, 'PATCH', `/admin/users/${bootstrap.id}`, { role: 'admin' })).status).toBe(409);
    expect((await api(t.url, owner, 'DELETE', `/admin/users/${bootstrap.id}`)).status).toBe(409);
    expect(await json(await api(t.url, owner, 'GET', `/admin/users/${bootstrap.id}`))).toMatchObject({ role: 'owner' });

    const second = await createAdmin(t.url, owner, 'sam', 'owner');
    const demoted = await api(t.url, second.token, 'PATCH', `/admin/users/${bootstrap.id}`, { role: 'admin' });
    expect(demoted.status).toBe(200);
    expect(await json(demoted)).toMatchObject({ role: 'admin' });
    // The demoted owner's token carried the owner role: it is revoked, and the next sign-in has the admin role.
    await eventually(async () => (await api(t.url, owner, 'GET', '/admin/integrations')).status === 401);
    const asAdmin = await signIn(t.url, 'admin', ADMIN_PASSWORD);
    expect(asAdmin.scope).not.toContain('*:platform=owner');
    expect((await api(t.url, asAdmin.access_token, 'GET', '/admin/users')).status).toBe(403);
    // sam is now the last owner.
    expect((await api(t.url, second.token, 'DELETE', `/admin/users/${second.id}`)).status).toBe(409);
    expect((await api(t.url, second.token, 'PATCH', `/admin/users/${bootstrap.id}`, { role: 'owner' })).status).toBe(200);
    owner = (await signIn(t.url, 'admin', ADMIN_PASSWORD)).access_token;
    expect((await api(t.url, owner, 'DELETE', `/admin/users/${second.id}`)).status).toBe(204);
    await eventually(async () => (await api(t.url, second.token, 'GET', '/admin/integrations')).status === 401);
    expect((await login(t.url, 'sam', second.password)).status).toBe(401);
    expect((await api(t.url, owner, 'GET', `/admin/users/${second.id}`)).status).toBe(404);
  });

  it('an owner resets a password: shown once, the user is signed out, and the next sign-in may only change it', async () => {
    const user = await createAdmin(t.url, owner, 'rita', 'admin');
    const reset = await api(t.url, owner, 'POST', `/admin/users/${user.id}/password`);
    expect(reset.status).toBe(200);
    expect(reset.headers.get('cache-control')).toBe('no-store');
    const { oneTimePassword } = await json<{ oneTimePassword: string }>(reset);
    await eventually(async () => (await api(t.url, user.token, 'GET', '/admin/integrations')).status === 401);
    expect((await login(t.url, 'rita', user.password)).status).toBe(401);
    const first = await signIn(t.url, 'rita', oneTimePassword);
    expect(first.must_change_password).toBe(true);
    expect((await api(t.url, first.access_token, 'GET', '/admin/integrations')).status).toBe(403);
    expect((await api(t.url, first.access_token, 'POST', '/admin/password', { currentPassword: oneTimePassword, newPassword: oneTimePassword })).status).toBe(
      400,
    );
    expect(
      (await api(t.url, first.access_token, 'POST', '/admin/password', { currentPassword: oneTimePassword, newPassword: 'rita chose this one' })).status,
    ).toBe(204);
    expect((await api(t.url, (await signIn(t.url, 'rita', 'rita chose this one')).access_token, 'GET', '/admin/integrations')).status).toBe(200);
    // Only owners reset.
    const other = await createAdmin(t.url, owner, 'ivan', 'admin');
    expect((await api(t.url, other.token, 'POST', `/admin/users/${user.id}/password`)).status).toBe(403);
  });

  it('npm run reset-admin-password -- --user resets that administrator only and ends only their sessions', async () => {
    const user = await createAdmin(t.url, owner, 'cli-user', 'operator');
    expect(await resetAdminPassword(t.config, 'set by the command line', 'cli-user')).toBe('set by the command line');
    await eventually(async () => (await api(t.url, user.token, 'GET', '/admin/tokens')).status === 401);
    expect((await api(t.url, owner, 'GET', '/admin/users')).status).toBe(200);
    expect((await login(t.url, 'cli-user', user.password)).status).toBe(401);
    expect((await signIn(t.url, 'cli-user', 'set by the command line')).scope).toBe('*:platform=operate *:platform=read');
    await expect(resetAdminPassword(t.config, 'set by the command line', 'nobody-here')).rejects.toThrow(/no administrator named nobody-here/);
  });

  it('a session renews while in use, not past its maximum, ends when idle, and POST /admin/logout ends it at once', async () => {
    const first = await signIn(t.url, 'admin', ADMIN_PASSWORD);
    const c = claims(first.access_token);
    // Default idle time: 15 minutes; the session's id is the tokens' family.
    expect(Number(c.exp) - Number(c.iat)).toBe(15 * 60);
    const session = await json<{ sessionId: string; startedAt: string; endsAt: string }>(await api(t.url, first.access_token, 'GET', '/admin/session'));
    expect(session.sessionId).toBe(c.fid);
    expect(Date.parse(session.endsAt) - Date.parse(session.startedAt)).toBe(8 * 3_600_000);

    const renewed = await api(t.url, first.access_token, 'POST', '/admin/session/renew');
    expect(renewed.status).toBe(200);
    const next = await json<{ access_token: string }>(renewed);
    expect(claims(next.access_token)).toMatchObject({ fid: session.sessionId, sub: 'admin:admin' });
    expect((await api(t.url, next.access_token, 'GET', '/admin/integrations')).status).toBe(200);

    // Near its maximum, a renewal is cut to it: the session's clock is moved on in the database (hours cannot pass here).
    const soon = new Date(Date.now() + 30_000);
    await t.db.query(`UPDATE "auth"."admin_session" SET "ends_at" = $2 WHERE "id" = $1`, [session.sessionId, soon]);
    const capped = claims((await json<{ access_token: string }>(await api(t.url, next.access_token, 'POST', '/admin/session/renew'))).access_token);
    expect(Number(capped.exp)).toBeLessThanOrEqual(Math.floor(soon.getTime() / 1000));
    // Past its maximum, or idle, it is over.
    await t.db.query(`UPDATE "auth"."admin_session" SET "ends_at" = now() - interval '1 second' WHERE "id" = $1`, [session.sessionId]);
    expect((await api(t.url, next.access_token, 'POST', '/admin/session/renew')).status).toBe(401);
    const idle = await signIn(t.url, 'admin', ADMIN_PASSWORD);
    await t.db.query(`UPDATE "auth"."admin_session" SET "idle_expires_at" = now() - interval '1 second' WHERE "id" = $1`, [claims(idle.access_token).fid]);
    expect((await api(t.url, idle.access_token, 'POST', '/admin/session/renew')).status).toBe(401);

    // Sign-out: this session's tokens (the renewed ones too) are refused at once; another session keeps working.
    const signedIn = await signIn(t.url, 'admin', ADMIN_PASSWORD);
    const again = (await json<{ access_token: string }>(await api(t.url, signedIn.access_token, 'POST', '/admin/session/renew'))).access_token;
    const other = (await signIn(t.url, 'admin', ADMIN_PASSWORD)).access_token;
    const liveSessions = async () =>
      (await json<{ items: { username: string; activeSessions: number }[] }>(await api(t.url, other, 'GET', '/admin/users'))).items.find(
        (u) => u.username === 'admin',
      )!.activeSessions;
    const before = await liveSessions();
    expect((await api(t.url, signedIn.access_token, 'POST', '/admin/logout')).status).toBe(204);
    // Ended on the server (every gateway's verifier learns it from the event), not only refused by this gateway.
    expect(await liveSessions()).toBe(before - 1);
    expect((await api(t.url, signedIn.access_token, 'GET', '/admin/integrations')).status).toBe(401);
    expect((await api(t.url, again, 'GET', '/admin/integrations')).status).toBe(401);
    expect((await api(t.url, again, 'POST', '/admin/session/renew')).status).toBe(401);
    expect((await api(t.url, other, 'GET', '/admin/integrations')).status).toBe(200);
    // Who is signed in: the owner's live sessions are counted on the users page.
    const users = await json<{ items: { username: string; activeSessions: number; lastSeenAt: string | null }[] }>(
      await api(t.url, other, 'GET', '/admin/users'),
    );
    expect(users.items.find((u) => u.username === 'admin')).toMatchObject({ activeSessions: expect.any(Number), lastSeenAt: expect.any(String) });
    expect(users.items.find((u) => u.username === 'admin')!.activeSessions).toBeGreaterThanOrEqual(1);
  });
});
