import type { Logger } from '@tessera/observability';
import pg from 'pg';
import { DataSource, type EntitySchema, type MixedList } from 'typeorm';
import type { DatabaseAvailability } from './database-availability.js';
import { MESSAGING_ENTITIES, outboxSequenceMigration } from './messaging-tables.js';
import { pgDriver } from './traced-pg.js';

/** How a service reaches Postgres: a URL (own pool), or a pool shared by every service in one process (embedded). */
export type DatabaseTarget = { url: string; poolSize?: number; transactionPooler?: boolean } | { sharedPool: pg.Pool };

export interface ServiceDataSourceOptions {
  target: DatabaseTarget;
  /** The Postgres schema this service owns; nothing else reads or writes it. */
  schema: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function | string>;
  logger: Logger;
  /** Where an idle pooled connection's death (a Postgres restart) is reported, instead of a log line per connection. */
  availability?: DatabaseAvailability;
}

/**
 * A `pg` module whose Pool is one shared pool. PGlite is a single session, so in embedded mode every service uses
 * the same pool of one connection; TypeORM still qualifies every table with the service's schema.
 */
function sharedPoolDriver(pool: pg.Pool) {
  const facade = {
    connect: (...args: Parameters<pg.Pool['connect']>) => (pool.connect as (...a: unknown[]) => unknown)(...args),
    query: (...args: unknown[]) => (pool.query as (...a: unknown[]) => unknown)(...args),
    on: () => facade,
    removeListener: () => facade,
    end: (callback?: (err?: Error) => void) => {
      callback?.();
      return Promise.resolve();
    },
  };
  return {
    ...pg,
    Pool: function SharedPool() {
      return facade;
    },
  };
}

export function createServiceDataSource(options: ServiceDataSourceOptions): DataSource {
  const target = options.target;
  return new DataSource({
    type: 'postgres',
    ...('url' in target
      ? {
          url: target.url,
          driver: pgDriver({ transactionPooler: target.transactionPooler }),
          poolSize: target.poolSize ?? 10,
          poolErrorHandler: (err: unknown) => {
            if (!options.availability?.noteFailure(err)) options.logger.warn({ err }, 'database pool error');
          },
        }
      : { driver: sharedPoolDriver(target.sharedPool) }),
    schema: options.schema,
    entities: [...(options.entities as unknown[]), ...MESSAGING_ENTITIES] as ServiceDataSourceOptions['entities'],
    // The outbox's columns follow its entity (MESSAGING_ENTITIES above), whichever migrations created the table.
    migrations: [...Object.values(options.migrations), outboxSequenceMigration(options.schema)] as ServiceDataSourceOptions['migrations'],
    migrationsTableName: 'migrations',
    migrationsRun: false,
    synchronize: false,
    logging: false,
    applicationName: `tessera-${options.schema}`,
  });
}

/**
 * Connects, creates the service's schema if needed and runs its migrations. With a dedicated pool the migrations
 * run under an advisory lock, so replicas starting together migrate once. The lock is a transaction's, held by an
 * open transaction until they are done: a session's lock, behind a transaction-mode pooler, would stay with whichever
 * server session took it, never unlocked, and block the next start (ADR 0039).
 */
export async function openServiceDataSource(options: ServiceDataSourceOptions): Promise<DataSource> {
  const dataSource = createServiceDataSource(options);
  await dataSource.initialize();
  await dataSource.query(`CREATE SCHEMA IF NOT EXISTS "${options.schema}"`);
  if ('url' in options.target) {
    const runner = dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      await runner.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`tessera:migrate:${options.schema}`]);
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      await runner.commitTransaction();
      if (applied.length) options.logger.info({ schema: options.schema, migrations: applied.map((m) => m.name) }, 'migrations applied');
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw error;
    } finally {
      await runner.release();
    }
  } else {
    await dataSource.runMigrations({ transaction: 'each' });
  }
  return dataSource;
}

/** True when a query succeeds within `timeoutMs`. */
export async function databaseIsUp(dataSource: DataSource, timeoutMs = 1000): Promise<boolean> {
  if (!dataSource.isInitialized) return false;
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      dataSource.query('SELECT 1').then(() => true),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      }),
    ]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
