import type { TesseraConfig } from '@tessera/config';
import {
  createTestDatabase,
  eventually,
  pgBouncerInstalled,
  startOwnPgBouncer,
  testConfig,
  testLogger,
  type OwnPgBouncer,
  type TestDatabase,
} from '@tessera/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type RunningPlatform } from '../../src/platform.js';
import { ADMIN_PASSWORD, adminToken } from '../support/sign-in.js';
import { basic } from '../support/test-platform.js';

/**
 * The services through PgBouncer in transaction mode (ADR 0039): a server session is theirs for one transaction
 * only. Migrations (twice: a restart finds no lock left behind), grants written by the group commit, a refresh's
 * rotation, a revocation in force at the gateway, and an admin change with its event.
 */
describe.skipIf(!pgBouncerInstalled())('PostgreSQL behind PgBouncer in transaction mode', () => {
  let db: TestDatabase;
  let bouncer: OwnPgBouncer;
  let config: TesseraConfig;
  let platform: RunningPlatform | undefined;

  beforeAll(async () => {
    db = await createTestDatabase();
    const direct = new URL(db.url);
    bouncer = await startOwnPgBouncer({ host: direct.hostname, port: Number(direct.port || 5432) });
    config = testConfig(db, { DATABASE_URL: bouncer.through(db.url), TESSERA_DATABASE_POOLER: 'transaction', TESSERA_ADMIN_PASSWORD: ADMIN_PASSWORD });
  });
  afterAll(async () => {
    await platform?.stop();
    await bouncer?.stop();
    await db?.drop();
  });

  const oauth = (path: string, params: Record<string, string>, client: { applicationId: string; appSecret: string }) =>
    fetch(`${platform!.url}${path}`, {
      method: 'POST',
      body: new URLSearchParams(params).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(client.applicationId, client.appSecret) },
    });

  it('starts (migrating every schema), stops and starts again: no lock is left behind in a pooled session', async () => {
    platform = await startPlatform(config, { logger: testLogger() });
    await platform.stop();
    platform = await startPlatform(config, { logger: testLogger() });
    expect((await db.query(`SELECT count(*)::int AS n FROM auth.migrations`))[0].n).toBeGreaterThan(0);
  });

  it('issues tokens concurrently, refreshes, revokes, and the gateway enforces the revocation', async () => {
    const admin = await adminToken(platform!.url!);
    const created = await fetch(`${platform!.url}/admin/integrations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'pooled', permissions: ['*:orgs=read'] }),
    });
    expect(created.status).toBe(201);
    const client = (await created.json()) as { applicationId: string; appSecret: string };
    // Many at once: the group commit writes them in batches, each statement on whichever server session is free.
    const answers = await Promise.all(Array.from({ length: 40 }, () => oauth('/oauth/token', { grant_type: 'client_credentials' }, client)));
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
    const tokens = (await Promise.all(answers.map((a) => a.json()))) as { access_token: string; refresh_token: string }[];
    expect((await db.query(`SELECT count(*)::int AS n FROM auth.refresh_token_family`))[0].n).toBeGreaterThanOrEqual(40);

    const refreshed = await oauth('/oauth/token', { grant_type: 'refresh_token', refresh_token: tokens[0].refresh_token }, client);
    expect(refreshed.status).toBe(200);
    const renewed = (await refreshed.json()) as { access_token: string };

    const whoami = (token: string) => fetch(`${platform!.url}/api/whoami`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.status);
    expect(await whoami(renewed.access_token)).toBe(200);
    expect((await oauth('/oauth/revoke', { token: renewed.access_token }, client)).status).toBe(200);
    await eventually(async () => (await whoami(renewed.access_token)) === 401, 5_000);
  });
});
