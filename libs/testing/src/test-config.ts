import { loadConfig, type TesseraConfig } from '@tessera/config';
import { createLogger, type Logger } from '@tessera/observability';
import { randomBytes } from 'node:crypto';
import { uniqueName, type TestDatabase } from './test-database.js';

/** The real NATS (with JetStream) integration tests use; override with TEST_NATS_URL. */
export const TEST_NATS_URL = process.env.TEST_NATS_URL ?? 'nats://127.0.0.1:4222';

/** Configuration for a platform on the real servers with its own database and subject prefix. */
export function testConfig(database: TestDatabase, overrides: Record<string, string> = {}): TesseraConfig {
  return loadConfig(testEnvironment(database, overrides));
}

/** The environment testConfig reads: plain strings, so a platform's configuration can be handed to another process. */
export function testEnvironment(database: Pick<TestDatabase, 'url'>, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    DATABASE_URL: database.url,
    NATS_URL: TEST_NATS_URL,
    TESSERA_SUBJECT_PREFIX: uniqueName('run'),
    PORT: '0',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    TESSERA_BUS_TIMEOUT_MS: '2000',
    TESSERA_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    // The fake providers and APIs tests start listen on loopback: allowed here as an operator would list them.
    TESSERA_EGRESS_ALLOW: '127.0.0.0/8,::1',
    // Sign-ins at argon2id's minimum cost: a run signs in hundreds of times. The files that test the hash gate, and the
    // embedded and launcher files, run the standard parameters.
    TESSERA_TEST_WEAK_PASSWORD_HASHES: 'true',
    ...overrides,
  };
}

export function testLogger(): Logger {
  return createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
}
