import { createTestDatabase, deleteEventStream, eventually, scrapeMetrics, testConfig, TEST_NATS_URL, uniqueName, type TestDatabase } from '@tessera/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic } from '../support/test-platform.js';
import {
  adminFetch,
  buildDist,
  childPids,
  freePort,
  groupMembers,
  isAlive,
  killIfRunning,
  newEncryptionKey,
  runNode,
  type TesseraProcess,
  TEST_ADMIN_PASSWORD,
} from '../processes.js';

describe('`npm start` in distributed mode with METRICS_PORT', () => {
  let db: TestDatabase;
  let cli: TesseraProcess | undefined;
  const subjectPrefix = uniqueName('met');
  beforeAll(async () => {
    buildDist();
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await killIfRunning([cli]);
    await deleteEventStream(testConfig(db, { TESSERA_SUBJECT_PREFIX: subjectPrefix }));
    await db.drop();
  });

  it('gives every service process its own loopback metrics port, each serving what that process did', { timeout: 90_000 }, async () => {
    const port = await freePort();
    const metricsPort = await freePort();
    const url = `http://127.0.0.1:${port}`;
    cli = runNode('tools/platform/dist/cli.js', {
      PORT: String(port),
      DATABASE_URL: db.url,
      NATS_URL: TEST_NATS_URL,
      TESSERA_SUBJECT_PREFIX: subjectPrefix,
      TESSERA_ENCRYPTION_KEY: newEncryptionKey(),
      LOG_LEVEL: 'warn',
      TESSERA_ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
      METRICS_PORT: String(metricsPort),
    });
    await eventually(async () => (await fetch(`${url}/health/ready`)).status === 200, 60_000, 200).catch((error) => {
      throw new Error(`${error}\n${cli!.output()}`);
    });
    // The launcher's order: auth-server, integrations-registry, outbound-token-broker, gateway.
    const [auth, registry, broker, gateway] = [0, 1, 2, 3].map((i) => `http://127.0.0.1:${metricsPort + i}/metrics`);
    expect(cli.output()).toContain(`gateway on 127.0.0.1:${metricsPort + 3}`);

    const integration = (await (
      await adminFetch(`${url}/admin/integrations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'scraped', permissions: ['*:orgs=read'] }),
      })
    ).json()) as { applicationId: string; appSecret: string };
    const issued = await fetch(`${url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(integration.applicationId, integration.appSecret) },
      body: 'grant_type=client_credentials',
    });
    expect(issued.status).toBe(200);

    const [authScrape, registryScrape, brokerScrape, gatewayScrape] = await Promise.all(
      [auth, registry, broker, gateway].map((endpoint) => scrapeMetrics(endpoint)),
    );
    // Each process counts what it did, and only that.
    expect(authScrape.value('tessera_tokens_issued_total', { grant_type: 'client_credentials' })).toBe(1);
    expect(gatewayScrape.value('tessera_oauth_token_requests_total', { grant_type: 'client_credentials', outcome: 'success' })).toBe(1);
    expect(gatewayScrape.value('tessera_tokens_issued_total')).toBe(0);
    expect(authScrape.value('tessera_oauth_token_requests_total')).toBe(0);
    expect(registryScrape.series('tessera_outbox_pending_events', { service: 'integrations-registry' })).toHaveLength(1);
    expect(brokerScrape.series('tessera_db_pool_connections_in_use', { pool: 'broker' })).toHaveLength(1);
    expect(brokerScrape.names()).toContain('tessera_broker_tokens');
    expect(gatewayScrape.names()).not.toContain('tessera_broker_tokens');
    for (const scrape of [authScrape, registryScrape, brokerScrape, gatewayScrape]) expect(scrape.names()).toContain('process_cpu_user_seconds_total');
    expect((await fetch(`${url}/metrics`)).status).toBe(404);
  });

  // Kept last: it ends the launcher the way the OOM killer or `kill -9` does, so nothing can stop its children for it.
  it('after kill -9 of the launcher none of the services it started is left running', { timeout: 30_000 }, async () => {
    const launcher = cli!.child.pid!;
    const services = childPids(launcher);
    expect(services).toHaveLength(4);
    cli!.child.kill('SIGKILL');
    expect(await cli!.exited).toEqual({ code: null, signal: 'SIGKILL' });
    await eventually(async () => services.every((pid) => !isAlive(pid)), 20_000, 50).catch(() => {
      throw new Error(`still running after the launcher died: ${services.filter(isAlive).join(', ')}\n${cli!.output()}`);
    });
    expect(groupMembers(launcher)).toEqual([]);
  });
});
