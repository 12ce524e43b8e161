/**
 * Tessera for a benchmark: distributed mode (real Postgres + NATS, one bus connection per service) with a database
 * and subject prefix of its own, an admin login and one integration created over HTTP, all removed by `stop()`.
 */
import type { TesseraConfig } from '@tessera/config';
import { createLogger } from '@tessera/observability';
import { startPlatform, type RunningPlatform } from '@tessera/platform';
import { createTestDatabase, deleteEventStream, testConfig, uniqueName, type TestDatabase } from '@tessera/testing';
import { randomBytes } from 'node:crypto';

export interface BenchPlatform {
  url: string;
  config: TesseraConfig;
  database: TestDatabase;
  adminToken: string;
  applicationId: string;
  appSecret: string;
  /** `Authorization` header value for client_secret_basic (RFC 6749 §2.3.1: form-urlencoded id and secret). */
  basicAuth: string;
  stop(): Promise<void>;
}

export async function postJson<T>(url: string, body: unknown, token?: string): Promise<T> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`${url} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

export async function startBenchPlatform(): Promise<BenchPlatform> {
  const database = await createTestDatabase(uniqueName('bench'));
  const adminPassword = randomBytes(18).toString('base64url');
  const config = testConfig(database, { TESSERA_ADMIN_PASSWORD: adminPassword, LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn', TESSERA_BUS_TIMEOUT_MS: '5000' });
  let platform: RunningPlatform | undefined;
  const stop = async () => {
    await platform?.stop();
    await deleteEventStream(config).catch(() => undefined);
    await database.drop();
  };
  try {
    platform = await startPlatform(config, { logger: createLogger({ level: config.logLevel }), host: '127.0.0.1' });
    const url = platform.url!;
    const { access_token: adminToken } = await postJson<{ access_token: string }>(`${url}/admin/login`, { username: 'admin', password: adminPassword });
    const { applicationId, appSecret } = await postJson<{ applicationId: string; appSecret: string }>(`${url}/admin/integrations`, { name: 'bench', permissions: ['*:orgs=read'] }, adminToken);
    const basicAuth = `Basic ${Buffer.from(`${encodeURIComponent(applicationId)}:${encodeURIComponent(appSecret)}`).toString('base64')}`;
    return { url, config, database, adminToken, applicationId, appSecret, basicAuth, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
