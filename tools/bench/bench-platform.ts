/**
 * Tessera for a benchmark: distributed mode (real Postgres + NATS, one bus connection per service) with a database
 * and subject prefix of its own, an admin login and one integration created over HTTP, all removed by `stop()`.
 */
import type { TesseraConfig } from '@tessera/config';
import { createLogger } from '@tessera/observability';
import { ALL_SERVICES, childEnvironment, generateNatsConfig, startPlatform, type RunningPlatform } from '@tessera/platform';
import { rm } from 'node:fs/promises';
import {
  createTestDatabase,
  deleteEventStream,
  freeTcpPort as freePort,
  makeTestCertificates,
  startConfiguredNats,
  startOwnNats,
  testConfig,
  uniqueName,
  type TestDatabase,
} from '@tessera/testing';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

export interface BenchPlatform {
  url: string;
  config: TesseraConfig;
  database: TestDatabase;
  adminToken: string;
  applicationId: string;
  appSecret: string;
  /** `Authorization` header value for client_secret_basic (RFC 6749 §2.3.1: form-urlencoded id and secret). */
  basicAuth: string;
  /** Process ids running the platform: this one (in-process), or one per service. */
  pids: number[];
  /** The metrics endpoints (one for the process, or one per service process) when started with metrics on. */
  metricsUrls: string[];
  stop(): Promise<void>;
}

export type Topology = 'in-process' | 'processes';
/**
 * The bus: `shared` is the machine's NATS on 4222 (as before); the others a nats-server of the bench's own, so the
 * three are compared on equal terms: `open` (no auth), `secured` (generated config: nkeys + permissions), `tls` (and TLS).
 */
export type BusMode = 'shared' | 'open' | 'secured' | 'tls';

async function startBus(mode: BusMode, prefix: string): Promise<{ env: Record<string, string>; stop(): Promise<void> }> {
  if (mode === 'shared') return { env: { NATS_URL: process.env.TEST_NATS_URL ?? 'nats://127.0.0.1:4222' }, stop: async () => undefined };
  const certs = mode === 'tls' ? await makeTestCertificates() : undefined;
  let nats: { url: string; credentials?: string; stop(): Promise<void> };
  try {
    if (mode === 'open') {
      const open = await startOwnNats();
      nats = { url: open.url, stop: () => open.destroy() };
    } else {
      const tls = certs && { certFile: certs.serverCert, keyFile: certs.serverKey };
      nats = await startConfiguredNats(async (dir) => (await generateNatsConfig({ dir, prefixes: [prefix], tls, storeDir: false })).configFile, {
        tls: Boolean(tls),
      });
    }
  } catch (error) {
    if (certs) await rm(certs.dir, { recursive: true, force: true });
    throw error;
  }
  return {
    env: {
      NATS_URL: nats.url,
      ...(nats.credentials ? { TESSERA_NATS_CREDENTIALS: nats.credentials, TESSERA_REQUIRE_SECURE_BUS: 'true' } : {}),
      ...(certs ? { NATS_TLS_CA: certs.ca } : {}),
    },
    stop: async () => {
      await nats.stop();
      if (certs) await rm(certs.dir, { recursive: true, force: true });
    },
  };
}

/** The four services as four processes, as `npm start` runs them in distributed mode (apps/<service>/dist/main.js). */
async function startProcesses(
  env: Record<string, string>,
  config: TesseraConfig,
  url: string,
  metricsPorts: number[],
): Promise<{ pids: number[]; stop(): Promise<void> }> {
  const children: ChildProcess[] = ALL_SERVICES.map((service, i) =>
    spawn(process.execPath, [join(repoRoot, 'apps', service, 'dist', 'main.js')], {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: childEnvironment(config, service, { ...process.env, ...env, ...(metricsPorts[i] ? { METRICS_PORT: String(metricsPorts[i]) } : {}) }),
    }),
  );
  const stop = () =>
    Promise.all(
      children.map(
        (child) =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      ),
    ).then(() => undefined);
  const deadline = Date.now() + 30_000;
  for (;;) {
    const ready = await fetch(`${url}/health/ready`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline || children.some((c) => c.exitCode !== null)) {
      await stop();
      throw new Error('the services did not become ready within 30 s');
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { pids: children.map((c) => c.pid!), stop };
}

export async function postJson<T>(url: string, body: unknown, token?: string): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${url} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

/**
 * `in-process`: startPlatform in this process (each service with its own NATS connection, one event loop for all).
 * `processes`: one process per service, so the gateway and auth-server each get an event loop (and a core) of their own.
 */
export async function startBenchPlatform(
  topology: Topology = 'in-process',
  busMode: BusMode = 'shared',
  options: { metrics?: boolean; env?: Record<string, string> } = {},
): Promise<BenchPlatform> {
  const database = await createTestDatabase(uniqueName('bench'));
  const adminPassword = randomBytes(18).toString('base64url');
  const port = await freePort();
  const prefix = uniqueName('bench');
  const bus = await startBus(busMode, prefix);
  const env = {
    DATABASE_URL: database.url,
    ...bus.env,
    TESSERA_SUBJECT_PREFIX: prefix,
    PORT: String(port),
    TESSERA_ISSUER: `http://127.0.0.1:${port}`,
    TESSERA_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    TESSERA_ADMIN_PASSWORD: adminPassword,
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
    TESSERA_BUS_TIMEOUT_MS: '5000',
    ...options.env,
  };
  // Metrics on: a port for the process (in-process) or one per service process, as an operator would give them.
  const metricsPorts = options.metrics ? await Promise.all((topology === 'in-process' ? [0] : ALL_SERVICES).map(() => freePort())) : [];
  if (topology === 'in-process' && metricsPorts.length) Object.assign(env, { METRICS_PORT: String(metricsPorts[0]) });
  const config = testConfig(database, env);
  let platform: Pick<RunningPlatform, 'stop'> | undefined;
  let pids = [process.pid];
  const stop = async () => {
    await platform?.stop();
    if (busMode === 'shared') await deleteEventStream(config).catch(() => undefined);
    await bus.stop();
    await database.drop();
  };
  try {
    const url = `http://127.0.0.1:${port}`;
    if (topology === 'in-process') {
      platform = await startPlatform(config, { logger: createLogger({ level: config.logLevel }), host: '127.0.0.1' });
    } else {
      const processes = await startProcesses(env, config, url, metricsPorts);
      platform = processes;
      pids = processes.pids;
    }
    const { access_token: adminToken } = await postJson<{ access_token: string }>(`${url}/admin/login`, { username: 'admin', password: adminPassword });
    const { applicationId, appSecret } = await postJson<{ applicationId: string; appSecret: string }>(
      `${url}/admin/integrations`,
      { name: 'bench', permissions: ['*:orgs=read'] },
      adminToken,
    );
    const basicAuth = `Basic ${Buffer.from(`${encodeURIComponent(applicationId)}:${encodeURIComponent(appSecret)}`).toString('base64')}`;
    const metricsUrls = metricsPorts.map((metricsPort) => `http://127.0.0.1:${metricsPort}/metrics`);
    return { url, config, database, adminToken, applicationId, appSecret, basicAuth, pids, metricsUrls, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
