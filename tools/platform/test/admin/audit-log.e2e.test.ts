import type { AuditEntryView, AuditPage } from '@tessera/contracts';
import { eventually } from '@tessera/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createAdmin, login, signIn } from '../support/admin-api.js';
import { ADMIN_PASSWORD, basic, form, json, startTestPlatform, type TestPlatform } from '../support/test-platform.js';

/** The audit log — every admin action and security event, with actor and before/after, never a secret. */
describe('the audit log', () => {
  let t: TestPlatform;
  let owner: string;
  beforeAll(async () => {
    t = await startTestPlatform({ env: { TESSERA_BUS_TIMEOUT_MS: '15000' } });
    owner = await t.adminToken();
  });
  afterAll(() => t?.stop());

  const page = async (query: string, token = owner): Promise<AuditPage> => {
    const response = await api(t.url, token, 'GET', `/admin/audit${query}`);
    expect(response.status).toBe(200);
    return json<AuditPage>(response);
  };
  const entries = (query: string, count: number) =>
    eventually(async () => {
      const { items } = await page(query);
      return items.length >= count ? items : undefined;
    }, 10_000);
  const exportText = async (query = '') => {
    const response = await api(t.url, owner, 'GET', `/admin/audit/export${query}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/x-ndjson');
    return response.text();
  };

  it('records each kind of admin action and security event with actor, address, request id and before/after — and no secret anywhere', async () => {
    const secrets: string[] = [ADMIN_PASSWORD];
    const oscar = await createAdmin(t.url, owner, 'oscar', 'operator');
    secrets.push(oscar.password);
    // Sign-in failure, and the rate limit it runs into.
    for (let i = 0; i < 6; i++) await login(t.url, 'nobody', `wrong password number ${i}`);
    secrets.push('wrong password number 3');

    const created = await json<{ id: string; applicationId: string; appSecret: string }>(
      await api(t.url, owner, 'POST', '/admin/integrations', { name: 'acme', permissions: ['*:orgs=read'] }),
    );
    secrets.push(created.appSecret);
    const clientRequestId = 'audit-test-request-1';
    const patched = await fetch(`${t.url}/admin/integrations/${created.id}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${owner}`, 'content-type': 'application/json', 'x-request-id': clientRequestId },
      body: JSON.stringify({ name: 'acme-renamed', enabled: false }),
    });
    expect(patched.status).toBe(200);
    // The platform's own id answers and is the line's request id; the caller's is recorded apart, never in its place.
    const requestId = patched.headers.get('x-request-id');
    expect(requestId).not.toBe(clientRequestId);
    await api(t.url, owner, 'PATCH', `/admin/integrations/${created.id}`, { enabled: true });
    expect((await api(t.url, owner, 'PATCH', `/admin/integrations/${created.id}`, { clientCredentialsTokensPerHour: 500 })).status).toBe(200);
    const rotated = await json<{ appSecret: string }>(await api(t.url, owner, 'POST', `/admin/integrations/${created.id}/secret`, { graceSeconds: 60 }));
    secrets.push(rotated.appSecret);

    // Refresh-token re-use: the family is revoked.
    const { body, headers } = form({ grant_type: 'client_credentials' });
    const issued = await json<{ refresh_token: string }>(
      await fetch(`${t.url}/oauth/token`, { method: 'POST', body, headers: { ...headers, authorization: basic(created.applicationId, rotated.appSecret) } }),
    );
    secrets.push(issued.refresh_token);
    const refresh = form({ grant_type: 'refresh_token', refresh_token: issued.refresh_token });
    const send = () =>
      fetch(`${t.url}/oauth/token`, {
        method: 'POST',
        body: refresh.body,
        headers: { ...refresh.headers, authorization: basic(created.applicationId, rotated.appSecret) },
      });
    const first = await json<{ access_token: string }>(await send());
    secrets.push(first.access_token);
    await api(t.url, owner, 'PATCH', `/admin/integrations/${created.id}`, { refreshTokenReuseIntervalSeconds: 0 });
    expect((await send()).status).toBe(400);
    await api(t.url, owner, 'DELETE', `/admin/integrations/${created.id}/tokens`);

    const provider = await json<{ id: string }>(
      await api(t.url, owner, 'POST', '/admin/providers', {
        name: 'crm',
        grantType: 'client_credentials',
        clientId: 'crm-client',
        clientSecret: 'the provider secret 1',
        tokenUrl: 'https://crm.example.com/token',
      }),
    );
    secrets.push('the provider secret 1', 'the provider secret 2', 'the instance password 1');
    await api(t.url, owner, 'PATCH', `/admin/providers/${provider.id}`, { clientSecret: 'the provider secret 2', description: 'our CRM' });
    const token = await json<{ id: string }>(await api(t.url, oscar.token, 'POST', '/admin/tokens', { name: 'crm-token', providerId: provider.id }));
    await api(t.url, oscar.token, 'POST', `/admin/tokens/${token.id}/revoke`);
    await api(t.url, oscar.token, 'DELETE', `/admin/tokens/${token.id}`);
    const instance = await json<{ id: string }>(
      await api(t.url, oscar.token, 'POST', '/admin/instances', { name: 'north', baseUrl: 'https://north.example.com' }),
    );
    await api(t.url, owner, 'PATCH', `/admin/instances/${instance.id}`, { auth: { type: 'password', username: 'svc', password: 'the instance password 1' } });
    const reset = await json<{ oneTimePassword: string }>(await api(t.url, owner, 'POST', `/admin/users/${oscar.id}/password`));
    secrets.push(reset.oneTimePassword);
    await api(t.url, owner, 'DELETE', `/admin/integrations/${created.id}`);
    const signedIn = await signIn(t.url, 'admin', ADMIN_PASSWORD);
    secrets.push(signedIn.access_token, owner);
    await api(t.url, signedIn.access_token, 'POST', '/admin/logout');

    const kinds = [
      'admin_user.create',
      'admin.login',
      'admin.password_change',
      'security.rate_limited',
      'integration.create',
      'integration.update',
      'integration.rotate_secret',
      'security.refresh_token_reused',
      'security.family_revoked',
      'grant.revoke_all',
      'provider.create',
      'provider.update',
      'outbound_token.create',
      'outbound_token.revoke',
      'outbound_token.delete',
      'instance.register',
      'instance.update',
      'admin_user.password_reset',
      'integration.delete',
      'admin.logout',
    ];
    const all = await eventually(async () => {
      const text = await exportText();
      const lines = text
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as AuditEntryView);
      return kinds.every((kind) => lines.some((line) => line.action === kind)) ? { text, lines } : undefined;
    }, 15_000);

    // No secret used above appears anywhere in the log.
    for (const secret of secrets) expect(all.text, 'a secret in the audit log').not.toContain(secret);

    const find = (action: string, predicate: (e: AuditEntryView) => boolean = () => true) => all.lines.find((e) => e.action === action && predicate(e))!;
    const rename = find('integration.update', (e) => e.clientRequestId === clientRequestId);
    expect(rename).toMatchObject({
      service: 'integrations-registry',
      outcome: 'success',
      address: '127.0.0.1',
      requestId,
      clientRequestId,
      actor: { type: 'user', name: 'admin' },
      target: { type: 'integration', id: created.id, name: 'acme-renamed' },
      changes: { name: { before: 'acme', after: 'acme-renamed' }, enabled: { before: true, after: false } },
    });
    expect(rename.changes).not.toHaveProperty('permissions');
    // A setting is no secret, whatever its name holds: its values are shown.
    expect(find('integration.update', (e) => Boolean(e.changes?.clientCredentialsTokensPerHour)).changes?.clientCredentialsTokensPerHour).toEqual({
      before: null,
      after: 500,
    });
    expect(find('integration.rotate_secret').changes).toEqual({ appSecret: { after: '[changed]' } });
    expect(find('provider.update').changes).toMatchObject({ description: { before: null, after: 'our CRM' } });
    expect(find('provider.update').detail).toEqual({ clientSecretChanged: true });
    expect(find('instance.update').changes).toMatchObject({ auth: { before: { type: 'none' }, after: { type: 'password', username: 'svc' } } });
    expect(find('outbound_token.create')).toMatchObject({ actor: { type: 'user', name: 'oscar', id: oscar.id }, service: 'outbound-token-broker' });
    expect(find('outbound_token.revoke').changes).toMatchObject({ state: { after: 'revoked' } });
    expect(find('admin.login', (e) => e.outcome === 'failure')).toMatchObject({ actor: null, target: { name: 'nobody' }, address: '127.0.0.1' });
    // A successful sign-in is the user's own act: its line names them as the actor.
    expect(find('admin.login', (e) => e.outcome === 'success' && e.target.name === 'oscar')).toMatchObject({
      actor: { type: 'user', id: oscar.id, name: 'oscar' },
      address: '127.0.0.1',
    });
    expect(find('security.rate_limited')).toMatchObject({ outcome: 'failure', target: { type: 'limit' } });
    expect(all.lines.filter((e) => e.action === 'security.rate_limited' && e.target.name === 'login:nobody:127.0.0.1')).toHaveLength(1);
    expect(find('security.refresh_token_reused')).toMatchObject({ target: { type: 'grant', name: created.applicationId } });
    expect(find('admin_user.password_reset')).toMatchObject({
      target: { id: oscar.id, name: 'oscar' },
      changes: { password: { after: '[changed]' }, mustChangePassword: { before: false, after: true } },
    });
    expect(find('admin.logout')).toMatchObject({ actor: { type: 'user', name: 'admin' }, target: { type: 'admin_session' } });
  });

  it('filters by actor, action (or prefix), target and time, pages by cursor and exports the same as NDJSON', async () => {
    const started = new Date().toISOString();
    const names = ['f-1', 'f-2', 'f-3', 'f-4', 'f-5'];
    for (const name of names) await api(t.url, owner, 'POST', '/admin/instances', { name, baseUrl: `https://${name}.example.com` });
    const mine = await entries(`?action=instance.register&from=${encodeURIComponent(started)}`, 5);
    expect(mine.map((e) => e.target.name)).toEqual([...names].reverse());

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const result: AuditPage = await page(`?action=instance.&from=${encodeURIComponent(started)}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(result.items.length).toBeLessThanOrEqual(2);
      seen.push(...result.items.map((e) => e.target.name!));
      cursor = result.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...names].reverse());

    expect((await page(`?target=f-3`)).items.map((e) => e.action)).toEqual(['instance.register']);
    expect((await page(`?actor=admin&action=instance.register&from=${encodeURIComponent(started)}`)).items).toHaveLength(5);
    expect((await page(`?actor=someone-else&action=instance.register`)).items).toHaveLength(0);
    expect((await page(`?action=instance.register&to=${encodeURIComponent(started)}&target=f-1`)).items).toHaveLength(0);
    const exported = (await exportText(`?action=instance.register&from=${encodeURIComponent(started)}`))
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as AuditEntryView).target.name);
    expect(exported).toEqual([...names].reverse());

    for (const bad of ['?from=yesterday', '?limit=0', '?cursor=not*a*cursor', '?action=DROP TABLE', '?cursor=bm9wZQ']) {
      expect((await api(t.url, owner, 'GET', `/admin/audit${bad}`)).status, bad).toBe(400);
    }
  });

  it("is append-only: no route changes an entry, and the database refuses UPDATE, DELETE and TRUNCATE but the pruner's", async () => {
    const [entry] = (await page('?limit=1')).items;
    for (const method of ['PUT', 'PATCH', 'DELETE']) {
      expect((await api(t.url, owner, method, `/admin/audit/${entry.id}`, method === 'DELETE' ? undefined : {})).status).toBe(404);
      expect((await api(t.url, owner, method, '/admin/audit', method === 'DELETE' ? undefined : {})).status).toBe(404);
    }
    await expect(t.db.query(`UPDATE "auth"."audit_entry" SET "action" = 'nothing' WHERE "id" = $1`, [entry.id])).rejects.toThrow(/append-only/);
    await expect(t.db.query(`DELETE FROM "auth"."audit_entry" WHERE "id" = $1`, [entry.id])).rejects.toThrow(/append-only/);
    await expect(t.db.query(`TRUNCATE "auth"."audit_entry"`)).rejects.toThrow(/append-only/);
    expect((await page(`?limit=1`)).items[0]).toEqual(entry);

    // The pruner deletes entries past the retention, and only those.
    const old = new Date(Date.now() - 400 * 86_400_000);
    await t.db.query(
      `INSERT INTO "auth"."audit_entry" ("id", "occurred_at", "service", "action", "outcome", "target_type") VALUES (gen_random_uuid(), $1, 'test', 'ancient.action', 'success', 'thing')`,
      [old],
    );
    const deleted = await t.platform.prune();
    expect(deleted['auth-server'].audit_entry).toBe(1);
    expect((await page('?action=ancient.action')).items).toHaveLength(0);
    expect((await page(`?limit=1`)).items[0]).toEqual(entry);
  });

  it('a change and its audit line commit together: a refused change leaves no line, and a line that cannot be written stops the change', async () => {
    const created = await json<{ id: string }>(await api(t.url, owner, 'POST', '/admin/integrations', { name: 'atomic', permissions: ['*:orgs=read'] }));
    expect((await api(t.url, owner, 'POST', '/admin/integrations', { name: 'atomic', permissions: ['*:orgs=read'] })).status).toBe(409);
    expect((await api(t.url, owner, 'PATCH', `/admin/integrations/${created.id}`, { permissions: ['not a permission'] })).status).toBe(400);
    await entries('?target=atomic&action=integration.create', 1);
    // Nothing else reached the log for it: one create, no update.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect((await page(`?target=${created.id}`)).items.map((e) => e.action)).toEqual(['integration.create']);

    // The registry's outbox refuses audit events for a moment: the change it records must not happen either.
    await t.db.query(`CREATE FUNCTION "registry"."refuse_audit"() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
      IF NEW."type" LIKE 'tessera.events.%.audit.recorded' THEN RAISE EXCEPTION 'audit write refused by the test'; END IF; RETURN NEW; END $$`);
    await t.db.query(`CREATE TRIGGER "refuse_audit" BEFORE INSERT ON "registry"."outbox_event" FOR EACH ROW EXECUTE FUNCTION "registry"."refuse_audit"()`);
    try {
      const refused = await api(t.url, owner, 'PATCH', `/admin/integrations/${created.id}`, { name: 'atomic-renamed' });
      expect(refused.status).toBeGreaterThanOrEqual(500);
    } finally {
      await t.db.query(`DROP TRIGGER "refuse_audit" ON "registry"."outbox_event"`);
      await t.db.query(`DROP FUNCTION "registry"."refuse_audit"()`);
    }
    expect(await json(await api(t.url, owner, 'GET', `/admin/integrations/${created.id}`))).toMatchObject({ name: 'atomic' });
    expect((await page(`?target=${created.id}`)).items.map((e) => e.action)).toEqual(['integration.create']);
  });
});
