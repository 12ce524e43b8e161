/**
 * Tessera for a benchmark: distributed mode (real Postgres + NATS, one bus connection per service) with a database
 * and subject prefix of its own, an admin login and one integration created over HTTP, all removed by `stop()`.
 */
import type { TesseraConfig } from '@tessera/config';
import { createLogger } from '@tessera/observability';
import { ALL_SERVICES, generateNatsConfig, startPlatform, type RunningPlatform } from '@tessera/platform';
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
import { spawn } from 'node:child_process';
import { descendants, natsServerPid } from './machine.js';
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
  /** The processes whose CPU a token costs: see {@link CpuPids}. */
  cpuPids(): Promise<CpuPids>;
  /** The metrics endpoints (one for the process, or one per service process) when started with metrics on. */
  metricsUrls: string[];
  stop(): Promise<void>;
}

/**
 * What "CPU per token" counts: `platform` — this process (in-process), or the launcher and every process under it
 * (`processes`); `postgres` — the server processes (backends) serving the bench's own database, from pg_stat_activity
 * (not the shared server's WAL writer, checkpointer or other databases' backends: other work shares them here);
 * `nats` — the bench's own nats-server (the machine's shared one with `--bus shared`).
 */
export interface CpuPids {
  platform: number[];
  postgres: number[];
  nats: number[];
}

export type Topology = 'in-process' | 'processes';
/**
 * The bus: `shared` is the machine's NATS on 4222 (as before); the others a nats-server of the bench's own, so the
 * three are compared on equal terms: `open` (no auth), `secured` (generated config: nkeys + permissions), `tls` (and TLS).
 */
export type BusMode = 'shared' | 'open' | 'secured' | 'tls';

async function startBus(mode: BusMode, prefix: string): Promise<{ env: Record<string, string>; pid?: number; stop(): Promise<void> }> {
  if (mode === 'shared') {
    const url = process.env.TEST_NATS_URL ?? 'nats://127.0.0.1:4222';
    return { env: { NATS_URL: url }, pid: natsServerPid(Number(new URL(url).port)), stop: async () => undefined };
  }
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
    pid: natsServerPid(Number(new URL(nats.url).port)),
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

/**
 * The four services as `npm start` runs them in distributed mode: the launcher (tools/platform/dist/cli.js, with the
 * same node flags as the npm script) supervising one process per service, the gateway as a cluster worker.
 */
async function startLauncher(env: Record<string, string>, url: string, metricsPort?: number): Promise<{ pids(): number[]; stop(): Promise<void> }> {
  const launcher = spawn(process.execPath, ['--enable-source-maps', join(repoRoot, 'tools', 'platform', 'dist', 'cli.js')], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env,
      ...env,
      ...(metricsPort ? { METRICS_PORT: String(metricsPort) } : {}),
      // e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`: a CPU profile of each service under the load (written as it stops).
      ...(process.env.BENCH_SERVICE_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_SERVICE_NODE_OPTIONS } : {}),
    },
  });
  const stop = () =>
    new Promise<void>((done) => {
      if (launcher.exitCode !== null) return done();
      launcher.once('exit', () => done());
      launcher.kill('SIGTERM');
    });
  const deadline = Date.now() + 150_000; // five processes starting at once take a while on a busy 2-core machine
  for (;;) {
    const ready = await fetch(`${url}/health/ready`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline || launcher.exitCode !== null) {
      await stop();
      throw new Error("the launcher's services did not become ready within 150 s");
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { pids: () => [launcher.pid!, ...descendants(launcher.pid!)], stop };
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
 * `processes`: what `npm start` runs in distributed mode: the launcher and one supervised process per service.
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
  // The launcher gives its children METRICS_PORT, +1, +2, +3 (in the order of ALL_SERVICES).
  const metricsBase = options.metrics ? await freePort() : undefined;
  const metricsPorts = metricsBase ? (topology === 'in-process' ? [metricsBase] : ALL_SERVICES.map((_, i) => metricsBase + i)) : [];
  if (topology === 'in-process' && metricsBase) Object.assign(env, { METRICS_PORT: String(metricsBase) });
  const config = testConfig(database, env);
  let platform: Pick<RunningPlatform, 'stop'> | undefined;
  let platformPids = () => [process.pid];
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
      const launched = await startLauncher(env, url, metricsBase);
      platform = launched;
      platformPids = launched.pids;
    }
    const { access_token: adminToken } = await postJson<{ access_token: string }>(`${url}/admin/login`, { username: 'admin', password: adminPassword });
    const { applicationId, appSecret } = await postJson<{ applicationId: string; appSecret: string }>(
      `${url}/admin/integrations`,
      { name: 'bench', permissions: ['*:orgs=read'] },
      adminToken,
    );
    const basicAuth = `Basic ${Buffer.from(`${encodeURIComponent(applicationId)}:${encodeURIComponent(appSecret)}`).toString('base64')}`;
    const metricsUrls = metricsPorts.map((metricsPort) => `http://127.0.0.1:${metricsPort}/metrics`);
    const cpuPids = async (): Promise<CpuPids> => ({
      platform: platformPids(),
      postgres: (await database.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1', [database.name])).map((r) => r.pid),
      nats: bus.pid ? [bus.pid] : [],
    });
    return { url, config, database, adminToken, applicationId, appSecret, basicAuth, cpuPids, metricsUrls, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
