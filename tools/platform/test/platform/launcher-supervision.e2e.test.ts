import { createTestDatabase, deleteEventStream, eventually, testConfig, TEST_NATS_URL, uniqueName, type TestDatabase } from '@tessera/testing';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic } from '../support/test-platform.js';
import {
  adminFetch,
  buildDist,
  childPids,
  freePort,
  isAlive,
  killIfRunning,
  newEncryptionKey,
  runNode,
  type TesseraProcess,
  TEST_ADMIN_PASSWORD,
} from '../processes.js';

/** Which service a launcher child runs, from its command line (`node … apps/<service>/dist/main.js`). */
function serviceOf(pid: number): string | undefined {
  try {
    return /apps\/([a-z-]+)\/dist\/main\.js/.exec(readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' '))?.[1];
  } catch {
    return undefined;
  }
}
const childrenByService = (cli: number) => Object.fromEntries(childPids(cli).map((pid) => [serviceOf(pid) ?? `?${pid}`, pid]));

describe('`npm start` in distributed mode supervises its services', () => {
  let db: TestDatabase;
  let cli: TesseraProcess | undefined;
  const subjectPrefix = uniqueName('sup');
  beforeAll(async () => {
    buildDist();
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await killIfRunning([cli]);
    await deleteEventStream(testConfig(db, { TESSERA_SUBJECT_PREFIX: subjectPrefix }));
    await db.drop();
  });

  it('after kill -9 of the auth-server the gateway keeps answering, the auth-server comes back, and tokens work again', { timeout: 90_000 }, async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    cli = runNode('tools/platform/dist/cli.js', {
      PORT: String(port),
      DATABASE_URL: db.url,
      NATS_URL: TEST_NATS_URL,
      TESSERA_SUBJECT_PREFIX: subjectPrefix,
      TESSERA_BUS_TIMEOUT_MS: '2000',
      TESSERA_ENCRYPTION_KEY: newEncryptionKey(),
      LOG_LEVEL: 'warn',
      TESSERA_ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
    });
    await eventually(async () => (await fetch(`${url}/health/ready`)).status === 200, 30_000, 200).catch((error) => {
      throw new Error(`${error}\n${cli!.output()}`);
    });
    const integration = (await (
      await adminFetch(`${url}/admin/integrations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'supervised', permissions: ['*:orgs=read'] }),
      })
    ).json()) as { applicationId: string; appSecret: string };
    const token = () =>
      fetch(`${url}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(integration.applicationId, integration.appSecret) },
        body: 'grant_type=client_credentials',
      });
    expect((await token()).status).toBe(200);

    const before = childrenByService(cli.child.pid!);
    expect(Object.keys(before).sort()).toEqual(['auth-server', 'gateway', 'integrations-registry', 'outbound-token-broker']);
    process.kill(before['auth-server'], 'SIGKILL');

    // The rest keep serving: the gateway, the registry behind it, and an OAuth error in RFC 6749 terms meanwhile.
    expect((await fetch(`${url}/health`)).status).toBe(200);
    expect((await adminFetch(`${url}/admin/integrations`)).status).toBe(200);
    const during = await token();
    if (during.status !== 200) {
      expect(during.status).toBe(503);
      expect(await during.json()).toMatchObject({ error: 'temporarily_unavailable' });
    }

    await eventually(async () => (await token()).status === 200, 20_000, 100).catch((error) => {
      throw new Error(`${error}\n${cli!.output()}`);
    });
    const after = childrenByService(cli.child.pid!);
    expect(after['auth-server']).toBeDefined();
    expect(after['auth-server']).not.toBe(before['auth-server']);
    for (const service of ['gateway', 'integrations-registry', 'outbound-token-broker']) expect(after[service]).toBe(before[service]);
    expect(cli.output()).toMatch(/auth-server was killed by SIGKILL; restarting it in \d+ ms/);
    expect(cli.child.exitCode).toBeNull();

    cli.child.kill('SIGINT');
    expect(await cli.exited).toEqual({ code: 0, signal: null });
    await eventually(async () => Object.values(after).every((pid) => !isAlive(pid)), 5_000);
  });
});
