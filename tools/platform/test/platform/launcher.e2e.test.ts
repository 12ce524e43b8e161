import { createTestDatabase, deleteEventStream, eventually, scrapeMetrics, testConfig, uniqueName, type TestDatabase } from '@tessera/testing';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildDist,
  childPids,
  CLI,
  distributedEnvironment,
  freePort,
  groupMembers,
  isAlive,
  killIfRunning,
  runNode,
  waitUntilReady,
  type TesseraProcess,
} from '../support/processes.js';
import { adminFetch } from '../support/sign-in.js';
import { basic } from '../support/test-platform.js';

/** Which service a launcher child runs, from its command line (`node … apps/<service>/dist/main.js`). */
function serviceOf(pid: number): string | undefined {
  try {
    return /apps\/([a-z-]+)\/dist\/main\.js/.exec(readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' '))?.[1];
  } catch {
    return undefined;
  }
}
const childrenByService = (cli: number) => Object.fromEntries(childPids(cli).map((pid) => [serviceOf(pid) ?? `?${pid}`, pid]));

/**
 * One launcher for every test here, each building on the one before (booting four processes is the slow part): the
 * metrics are read while the counts are exact, the supervisor's restart comes after, and the launcher's own death last.
 * Ctrl-C in distributed mode is `cli-secured-bus.test.ts`'s; the embedded CLI is `cli.test.ts`'s.
 */
describe('`npm start` in distributed mode: four supervised processes', () => {
  let db: TestDatabase;
  let cli: TesseraProcess | undefined;
  let url: string;
  let metricsPort: number;
  let integration: { applicationId: string; appSecret: string };
  const subjectPrefix = uniqueName('launch');
  const token = () =>
    fetch(`${url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(integration.applicationId, integration.appSecret) },
      body: 'grant_type=client_credentials',
    });

  beforeAll(async () => {
    buildDist();
    db = await createTestDatabase();
    const port = await freePort();
    metricsPort = await freePort();
    url = `http://127.0.0.1:${port}`;
    cli = runNode(CLI, distributedEnvironment(db, subjectPrefix, { PORT: String(port), METRICS_PORT: String(metricsPort) }));
    await waitUntilReady(url, cli);
  }, 90_000);
  afterAll(async () => {
    await killIfRunning([cli]);
    await deleteEventStream(testConfig(db, { TESSERA_SUBJECT_PREFIX: subjectPrefix }));
    await db.drop();
  });

  it('runs the four services as processes and gives each its own loopback metrics port, serving what that process did', async () => {
    expect(cli!.output()).toContain('mode: distributed');
    expect(Object.keys(childrenByService(cli!.child.pid!)).sort()).toEqual(['auth-server', 'gateway', 'integrations-registry', 'outbound-token-broker']);
    // The launcher's order: auth-server, integrations-registry, outbound-token-broker, gateway.
    const [auth, registry, broker, gateway] = [0, 1, 2, 3].map((i) => `http://127.0.0.1:${metricsPort + i}/metrics`);
    expect(cli!.output()).toContain(`gateway on 127.0.0.1:${metricsPort + 3}`);

    const created = await adminFetch(`${url}/admin/integrations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'scraped', permissions: ['*:orgs=read'] }),
    });
    integration = (await created.json()) as { applicationId: string; appSecret: string };
    expect((await token()).status).toBe(200);

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

  it('carries an event from one process to another: an instance created at the gateway reaches the auth server', async () => {
    const created = await adminFetch(`${url}/admin/instances`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'distributed-acme', baseUrl: 'https://acme.example.com' }),
    });
    expect(created.status).toBe(201);
    await eventually(async () => (await db.query('SELECT 1 FROM auth.known_instance')).length === 1);
  });

  it('after kill -9 of the auth-server the gateway keeps answering, the auth-server comes back, and tokens work again', { timeout: 60_000 }, async () => {
    const before = childrenByService(cli!.child.pid!);
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
    const after = childrenByService(cli!.child.pid!);
    expect(after['auth-server']).toBeDefined();
    expect(after['auth-server']).not.toBe(before['auth-server']);
    for (const service of ['gateway', 'integrations-registry', 'outbound-token-broker']) expect(after[service]).toBe(before[service]);
    expect(cli!.output()).toMatch(/auth-server was killed by SIGKILL; restarting it in \d+ ms/);
    expect(cli!.child.exitCode).toBeNull();
  });

  // Last: it ends the launcher the way the OOM killer or `kill -9` does, so nothing can stop its children for it.
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
