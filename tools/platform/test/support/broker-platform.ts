import type { TesseraConfig } from '@tessera/config';
import { SecretBox } from '@tessera/crypto';
import type { EventWatcher, TestDatabase } from '@tessera/testing';
import { randomBytes } from 'node:crypto';
import type { PlatformOptions, RunningPlatform } from '../../src/index.js';
import { adminToken } from './sign-in.js';
import { startTestPlatform } from './test-platform.js';

export { freePort } from './test-platform.js';

export interface BrokerPlatform {
  url: string;
  /** Opens a value the broker sealed (the test holds the encryption key), to check what it stored. */
  openSealed(sealed: string, rowId: string, field: string): string;
  platform: RunningPlatform;
  config: TesseraConfig;
  database: TestDatabase;
  events: EventWatcher;
  /** The Authorization header admin calls carry (empty where the gateway has no admin login yet). */
  authHeaders(): Promise<Record<string, string>>;
  http<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: T; text: string; headers: Headers }>;
  stop(): Promise<void>;
}

/**
 * The whole platform on the real Postgres and NATS with its own database and subject prefix, its gateway on a known
 * port so TESSERA_ISSUER (and so the OAuth redirect URI) is right, and a fast refresh scheduler.
 */
export async function startBrokerPlatform(
  options: { broker?: PlatformOptions['broker']; port?: number; clock?: PlatformOptions['clock']; env?: Record<string, string> } = {},
): Promise<BrokerPlatform> {
  const key = randomBytes(32);
  const started = await startTestPlatform({
    broker: options.broker ?? { scheduler: { pollMs: 100 } },
    port: options.port,
    clock: options.clock,
    env: { TESSERA_ENCRYPTION_KEY: key.toString('base64'), ...options.env },
  });
  const { url, config, platform, events, db: database } = started;
  let authorization: Promise<Record<string, string>> | undefined;
  const authHeaders = () => (authorization ??= adminToken(url).then((token) => ({ authorization: `Bearer ${token}` })));
  return {
    url,
    platform,
    config,
    database,
    events,
    authHeaders,
    openSealed: (sealed, rowId, field) => new SecretBox(key, 'outbound-token-broker').open(sealed, `${rowId}:${field}`),
    async http(method, path, body, headers = {}) {
      const isText = typeof body === 'string';
      const response = await fetch(`${url}${path}`, {
        method,
        redirect: 'manual',
        headers: { ...(await authHeaders()), ...(body === undefined ? {} : { 'content-type': isText ? 'application/yaml' : 'application/json' }), ...headers },
        body: body === undefined ? undefined : isText ? body : JSON.stringify(body),
      });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        /* HTML or empty */
      }
      return { status: response.status, body: parsed as never, text, headers: response.headers };
    },
    stop: () => started.stop(),
  };
}
