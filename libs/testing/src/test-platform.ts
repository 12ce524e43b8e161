import { loadConfig, type TesseraConfig } from '@tessera/config';
import type { EventEnvelope } from '@tessera/contracts';
import { NatsBus } from '@tessera/messaging';
import { createLogger, type Logger } from '@tessera/observability';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The real servers integration tests use; override with TEST_DATABASE_URL / TEST_NATS_URL. */
export const TEST_DATABASE_ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const TEST_NATS_URL = process.env.TEST_NATS_URL ?? 'nats://127.0.0.1:4222';

export function uniqueName(prefix = 't'): string {
  return `${prefix}_${randomBytes(5).toString('hex')}`;
}

export interface TestDatabase {
  name: string;
  url: string;
  query<T extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<T[]>;
  drop(): Promise<void>;
}

/** A database of its own for one test run, dropped afterwards. */
export async function createTestDatabase(name = uniqueName('tessera')): Promise<TestDatabase> {
  const admin = new pg.Client({ connectionString: TEST_DATABASE_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(TEST_DATABASE_ADMIN_URL);
  url.pathname = `/${name}`;
  const pool = new pg.Pool({ connectionString: url.toString(), max: 2 });
  return {
    name,
    url: url.toString(),
    query: async (sql, params) => (await pool.query(sql, params)).rows,
    drop: async () => {
      await pool.end();
      const client = new pg.Client({ connectionString: TEST_DATABASE_ADMIN_URL });
      await client.connect();
      // A pool's end() resolves before its connections have finished closing; forcing the drop while one is still
      // closing kills it and its client raises an error nobody listens to any more. Give them a moment first.
      for (let waited = 0; waited < 2_000; waited += 50) {
        const [{ count }] = (await client.query<{ count: string }>('SELECT count(*) FROM pg_stat_activity WHERE datname = $1', [name])).rows;
        if (count === '0') break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await client.end();
    },
  };
}

/** Configuration for a platform on the real servers with its own database and subject prefix. */
export function testConfig(database: TestDatabase, overrides: Record<string, string> = {}): TesseraConfig {
  return loadConfig({
    DATABASE_URL: database.url,
    NATS_URL: TEST_NATS_URL,
    TESSERA_SUBJECT_PREFIX: uniqueName('run'),
    PORT: '0',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    TESSERA_BUS_TIMEOUT_MS: '2000',
    TESSERA_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    // The fake providers and APIs tests start listen on loopback: allowed here as an operator would list them.
    TESSERA_EGRESS_ALLOW: '127.0.0.0/8,::1',
    ...overrides,
  });
}

export function testLogger(): Logger {
  return createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
}

/** Watches every event a platform publishes (a plain NATS subscription on its prefixed event subjects). */
export class EventWatcher {
  readonly events: EventEnvelope[] = [];
  private waiters: { predicate: (e: EventEnvelope) => boolean; resolve: (e: EventEnvelope) => void }[] = [];

  private constructor(private readonly connection: NatsConnection) {}

  static async start(config: TesseraConfig): Promise<EventWatcher> {
    const connection = await connect({ servers: config.natsUrl!.split(',') });
    const watcher = new EventWatcher(connection);
    const prefix = config.subjectPrefix ? `${config.subjectPrefix}.` : '';
    connection.subscribe(`${prefix}tessera.events.>`, {
      callback: (_err, msg) => {
        const event = JSON.parse(new TextDecoder().decode(msg.data)) as EventEnvelope;
        watcher.events.push(event);
        watcher.waiters = watcher.waiters.filter((w) => (w.predicate(event) ? (w.resolve(event), false) : true));
      },
    });
    await connection.flush();
    return watcher;
  }

  /** Resolves with the first event (seen already or arriving) matching `predicate`; rejects after `timeoutMs`. */
  waitFor(predicate: (e: EventEnvelope) => boolean, timeoutMs = 5000): Promise<EventEnvelope> {
    const seen = this.events.find(predicate);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching event within ${timeoutMs} ms; saw ${this.events.map((e) => e.type).join(', ') || 'none'}`)), timeoutMs);
      this.waiters.push({ predicate, resolve: (e) => { clearTimeout(timer); resolve(e); } });
    });
  }

  async stop(): Promise<void> {
    await this.connection.drain();
  }
}

/** Removes a test run's JetStream stream. */
export async function deleteEventStream(config: TesseraConfig): Promise<void> {
  const bus = new NatsBus({ servers: config.natsUrl!, subjectPrefix: config.subjectPrefix, name: 'test-cleanup', logger: testLogger() });
  await bus.connect();
  await bus.deleteStream();
  await bus.close();
}

/** Polls `check` until it returns a truthy value or the time runs out. */
export async function eventually<T>(check: () => Promise<T | undefined | null | false>, timeoutMs = 5000, intervalMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
