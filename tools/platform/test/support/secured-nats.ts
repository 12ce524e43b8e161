import { loadConfig, type TesseraConfig } from '@tessera/config';
import { createLogger } from '@tessera/observability';
import { startConfiguredNats, type ConfiguredNats, type TestDatabase } from '@tessera/testing';
import { generateNatsConfig, type GenerateOptions } from '../../src/nats-config/generate.js';
import { startPlatform, type RunningPlatform, type ServiceKey } from '../../src/platform.js';
import { ADMIN_PASSWORD, adminToken } from './sign-in.js';
import { freePort } from './http-helpers.js';

export { makeTestCertificates, NATS_SERVER } from '@tessera/testing';

export type SecuredNats = ConfiguredNats;

/**
 * A nats-server of the test's own, on a free port, started from `npm run nats:config`'s generated configuration,
 * so the machine's shared NATS is never secured or restarted by a test.
 */
export function startSecuredNats(options: Omit<GenerateOptions, 'dir'>): Promise<SecuredNats> {
  return startConfiguredNats(async (dir) => (await generateNatsConfig({ storeDir: false, ...options, dir })).configFile, { tls: Boolean(options.tls) });
}

export interface SecuredPlatform {
  url: string;
  config: TesseraConfig;
  platform: RunningPlatform;
  /** Lines the services logged at error level or above (a refused NATS operation shows here). */
  errors: string[];
  http<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T; headers: Headers }>;
  stop(): Promise<void>;
}

/**
 * A platform (or some of its services) in this process on a secured NATS, each service with its own credential from
 * the generated directory and TESSERA_REQUIRE_SECURE_BUS on, so nothing can fall back to an open connection.
 */
export async function startSecuredPlatform(
  nats: SecuredNats,
  options: { prefix: string; db: TestDatabase; services?: ServiceKey[]; env?: Record<string, string>; port?: number },
): Promise<SecuredPlatform> {
  const port = options.port ?? (await freePort());
  const config = loadConfig({
    DATABASE_URL: options.db.url,
    NATS_URL: nats.url,
    TESSERA_SUBJECT_PREFIX: options.prefix,
    TESSERA_NATS_CREDENTIALS: nats.credentials,
    TESSERA_REQUIRE_SECURE_BUS: 'true',
    PORT: String(port),
    TESSERA_ISSUER: `http://127.0.0.1:${port}`,
    TESSERA_ADMIN_PASSWORD: ADMIN_PASSWORD,
    // The fake providers and the other platform listen on loopback, which the egress policy refuses in distributed mode.
    TESSERA_EGRESS_ALLOW: '127.0.0.0/8,::1',
    TESSERA_BUS_TIMEOUT_MS: '3000',
    LOG_LEVEL: 'error',
    ...options.env,
  });
  const errors: string[] = [];
  const logger = createLogger({ level: 'error', destination: { write: (line: string) => void errors.push(line) } });
  const platform = await startPlatform(config, { logger, services: options.services, host: '127.0.0.1' });
  const url = platform.url ?? config.issuer;
  let token: string | undefined;
  const http = async <T>(method: string, path: string, body?: unknown) => {
    token ??= await adminToken(url);
    const response = await fetch(`${url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T, headers: response.headers };
  };
  return { url, config, platform, errors, http, stop: () => platform.stop() };
}
