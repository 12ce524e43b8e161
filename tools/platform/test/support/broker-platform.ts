import type { TesseraConfig } from '@tessera/config';
import type { EventWatcher, TestDatabase } from '@tessera/testing';
import { randomBytes } from 'node:crypto';
import type { PlatformOptions, RunningPlatform } from '../../src/index.js';
import { brokerHelpers, type BrokerHelpers } from './broker-helpers.js';
import { TEST_BROKER_OPTIONS } from './broker-options.js';
import { startTestPlatform } from './test-platform.js';

export { freePort } from './http-helpers.js';

export interface BrokerPlatform extends BrokerHelpers {
  url: string;
  platform: RunningPlatform;
  config: TesseraConfig;
  database: TestDatabase;
  events: EventWatcher;
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
    broker: options.broker ?? TEST_BROKER_OPTIONS,
    port: options.port,
    clock: options.clock,
    env: { TESSERA_ENCRYPTION_KEY: key.toString('base64'), ...options.env },
  });
  const { url, config, platform, events, db: database } = started;
  return { url, platform, config, database, events, ...brokerHelpers(url, key), stop: () => started.stop() };
}
