import { createTestDatabase, type TestDatabase } from '@tessera/testing';
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminBrowser } from '../support/admin-browser.js';
import { api, createAdmin, signIn } from '../support/admin-api.js';
import { startSecuredNats, startSecuredPlatform, type SecuredNats, type SecuredPlatform } from '../support/secured-nats.js';
import { ADMIN_PASSWORD, basic, form, json } from '../support/test-platform.js';

/**
 * Role ceilings, on a secured bus of the test's own: nobody grants, re-keys, re-opens or approves a permission their
 * own role does not cover, whether they sign in or hold a client_credentials token with a role.
 */
describe('role ceilings', () => {
  let nats: SecuredNats;
  let db: TestDatabase;
  let p: SecuredPlatform;
  let owner: string;
  let admin: string;
  let adminPassword: string;

  beforeAll(async () => {
    nats = await startSecuredNats({ prefixes: ['ceil'] });
    db = await createTestDatabase();
    // Sign-ins and password changes are argon2id hashes: allow them time on a loaded machine.
    p = await startSecuredPlatform(nats, { prefix: 'ceil', db, env: { TESSERA_BUS_TIMEOUT_MS: '15000' } });
    owner = (await signIn(p.url, 'admin', ADMIN_PASSWORD)).access_token;
    const created = await createAdmin(p.url, owner, 'ada', 'admin');
    admin = created.token;
    adminPassword = created.password;
  });
  afterAll(async () => {
    await p?.stop();
    await nats?.stop();
    await db?.drop();
  });

  const call = (token: string, method: string, path: string, body?: unknown) => api(p.url, token, method, path, body);
  const integration = async (token: string, body: Record<string, unknown>) => {
    const response = await call(token, 'POST', '/admin/integrations', body);
    expect(response.status, await response.clone().text()).toBe(201);
    return json<{ id: string; applicationId: string; appSecret: string; permissions: string[]; enabled: boolean }>(response);
  };
  const clientCredentials = (client: { applicationId: string; appSecret: string }) => {
    const { body, headers } = form({ grant_type: 'client_credentials' });
    return fetch(`${p.url}/oauth/token`, { method: 'POST', body, headers: { ...headers, authorization: basic(client.applicationId, client.appSecret) } });
  };
  const refused = async (response: Response, permission: string) => {
    expect(response.status).toBe(403);
    expect((await json<{ message: string }>(response)).message).toContain(permission);
  };

  it('an admin cannot create an integration holding the owner role, so cannot mint an owner; a role-holding token is bounded alike', async () => {
    await refused(
      await call(admin, 'POST', '/admin/integrations', { name: 'escalator', permissions: ['*:orgs=read', '*:platform=owner'] }),
      '*:platform=owner',
    );
    // Its own role and anything an integration may be granted are within the ceiling.
    await integration(admin, { name: 'admin-bot', permissions: ['*:platform=admin', '*:orgs=read'] });
    const names = (await json<{ items: { name: string }[] }>(await call(owner, 'GET', '/admin/integrations'))).items.map((i) => i.name);
    expect(names).toContain('admin-bot');
    expect(names).not.toContain('escalator');

    // An integration granted the admin role acts as an admin: the same ceiling.
    const bot = await integration(owner, { name: 'ops-admin', permissions: ['*:platform=admin'] });
    const botToken = (await json<{ access_token: string }>(await clientCredentials(bot))).access_token;
    await refused(await call(botToken, 'POST', '/admin/integrations', { name: 'bot-escalator', permissions: ['*:platform=owner'] }), '*:platform=owner');
    expect((await call(botToken, 'POST', '/admin/users', { username: 'mallory', role: 'owner' })).status).toBe(403);
    const users = (await json<{ items: { username: string; role: string }[] }>(await call(owner, 'GET', '/admin/users'))).items;
    expect(users.filter((u) => u.role === 'owner').map((u) => u.username)).toEqual(['admin']);
  });

  it('an admin cannot PATCH a permission beyond its role in, nor re-enable or re-point an owner-level integration; it may take away', async () => {
    const plain = await integration(owner, { name: 'plain', permissions: ['*:orgs=read'] });
    await refused(await call(admin, 'PATCH', `/admin/integrations/${plain.id}`, { permissions: ['*:orgs=read', '*:platform=owner'] }), '*:platform=owner');
    expect((await json<{ permissions: string[] }>(await call(owner, 'GET', `/admin/integrations/${plain.id}`))).permissions).toEqual(['*:orgs=read']);

    const dormant = await integration(owner, { name: 'dormant-owner', permissions: ['*:platform=owner'], enabled: false });
    await refused(await call(admin, 'PATCH', `/admin/integrations/${dormant.id}`, { enabled: true }), '*:platform=owner');
    await refused(await call(admin, 'PATCH', `/admin/integrations/${dormant.id}`, { redirectUris: ['https://attacker.example/cb'] }), '*:platform=owner');
    const after = await json<{ enabled: boolean; redirectUris: string[] }>(await call(owner, 'GET', `/admin/integrations/${dormant.id}`));
    expect(after).toMatchObject({ enabled: false, redirectUris: [] });
    expect((await clientCredentials(dormant)).status).toBe(400); // a disabled client gets no token

    // Disabling, or taking the permission away, hands nothing on.
    const live = await integration(owner, { name: 'live-owner', permissions: ['*:platform=owner', '*:orgs=read'] });
    expect((await call(admin, 'PATCH', `/admin/integrations/${live.id}`, { permissions: ['*:platform=owner'] })).status).toBe(200);
    expect((await call(admin, 'PATCH', `/admin/integrations/${live.id}`, { enabled: false })).status).toBe(200);
  });

  it('an admin cannot rotate the secret of an integration an owner gave the owner role; the old secret keeps working', async () => {
    const ownerBot = await integration(owner, { name: 'owner-bot', permissions: ['*:platform=owner'] });
    await refused(await call(admin, 'POST', `/admin/integrations/${ownerBot.id}/secret`, {}), '*:platform=owner');
    expect((await clientCredentials(ownerBot)).status).toBe(200);
    // Within the ceiling, rotation works as ever.
    const adminBot = await integration(owner, { name: 'admin-level', permissions: ['*:platform=admin'] });
    expect((await call(admin, 'POST', `/admin/integrations/${adminBot.id}/secret`, {})).status).toBe(200);
  });

  it('an admin cannot approve consent that would hand on the owner role: no consent page, no code', async () => {
    const redirectUri = 'https://client.example/oauth/callback';
    const client = await integration(owner, {
      name: 'consent-seeker',
      permissions: ['*:orgs=read', '*:platform=owner'],
      redirectUris: [redirectUri],
      grantTypes: ['authorization_code', 'refresh_token'],
    });
    const challenge = createHash('sha256').update(randomBytes(32).toString('base64url')).digest('base64url');
    const params = {
      response_type: 'code',
      client_id: client.applicationId,
      redirect_uri: redirectUri,
      code_challenge: challenge,
      code_challenge_method: 'S256',
    };
    const authorize = (scope: string) => `${p.url}/oauth/authorize?${new URLSearchParams({ ...params, scope })}`;

    // Asked for the owner role, the signed-in admin gets no approve button.
    const browser = new AdminBrowser();
    const loginPage = await (await browser.get(authorize('*:platform=owner'))).text();
    const answer = await browser.submit(p.url, loginPage, { action: 'login', username: 'ada', password: adminPassword });
    expect(answer.status).toBe(403);
    expect(await answer.text()).toContain('*:platform=owner');

    // A consent form for what the admin may approve, re-submitted for the owner role: auth-server refuses it.
    const allowed = new AdminBrowser();
    const allowedLogin = await (await allowed.get(authorize('*:orgs=read'))).text();
    const consentPage = await (await allowed.submit(p.url, allowedLogin, { action: 'login', username: 'ada', password: adminPassword })).text();
    expect(consentPage).toContain('Approve');
    const tampered = Buffer.from(JSON.stringify({ ...params, scope: '*:platform=owner' })).toString('base64url');
    const approved = await allowed.submit(p.url, consentPage, { action: 'approve', request: tampered });
    expect(approved.status).toBe(403);
    expect(approved.headers.get('location')).toBeNull();
  });
});
