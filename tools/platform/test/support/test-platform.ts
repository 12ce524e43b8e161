import { loadConfig, type TesseraConfig } from '@tessera/config';
import { createTestDatabase, deleteEventStream, EventWatcher, freeTcpPort as freePort, testEnvironment, testLogger, type TestDatabase } from '@tessera/testing';
import { startPlatform, type PlatformOptions, type RunningPlatform, type ServiceKey } from '../../src/platform.js';

import { ADMIN_PASSWORD, adminToken } from './sign-in.js';

export { ADMIN_PASSWORD } from './sign-in.js';

export interface TestPlatform {
  url: string;
  config: TesseraConfig;
  /** The variables `config` was read from (what a shared platform hands to the test files using it). */
  environment: Record<string, string>;
  db: TestDatabase;
  events: EventWatcher;
  platform: RunningPlatform;
  /** A fresh admin access token (POST /admin/login). */
  adminToken(): Promise<string>;
  stop(): Promise<void>;
}

export interface TestPlatformOptions extends Pick<PlatformOptions, 'broker' | 'clock'> {
  /** Where its log lines go (default: nowhere, unless TEST_LOG_LEVEL says otherwise). */
  logger?: PlatformOptions['logger'];
  /** Which services this process runs (default: all four). */
  services?: ServiceKey[];
  env?: Record<string, string>;
  /** The gateway's port (and so TESSERA_ISSUER); a free one by default. */
  port?: number;
}

/**
 * A whole platform (or some of its services) in this process on the real Postgres and NATS, with its own database and
 * subject prefix: the one harness the platform's tests start from (the broker's adds its helpers on top of it).
 */
export async function startTestPlatform(options: TestPlatformOptions = {}): Promise<TestPlatform> {
  const db = await createTestDatabase();
  const port = options.port ?? (await freePort());
  const environment = testEnvironment(db, {
    TESSERA_ADMIN_PASSWORD: ADMIN_PASSWORD,
    PORT: String(port),
    TESSERA_ISSUER: `http://127.0.0.1:${port}`,
    ...options.env,
  });
  const config = loadConfig(environment);
  const events = await EventWatcher.start(config);
  const platform = await startPlatform(config, {
    logger: options.logger ?? testLogger(),
    services: options.services,
    host: '127.0.0.1',
    broker: options.broker,
    clock: options.clock,
  });
  const url = platform.url ?? config.issuer;
  return {
    url,
    config,
    environment,
    db,
    events,
    platform,
    adminToken: () => adminToken(url),
    stop: async () => {
      await platform.stop();
      await events.stop();
      await deleteEventStream(config);
      await db.drop();
    },
  };
}

export { basic, form, freePort, json } from './http-helpers.js';
