import { openServiceDataSource, Transactions, type ServiceDataSourceOptions } from '@tessera/persistence';
import type { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from './test-database.js';
import { testLogger } from './test-config.js';

/** A service's schema, migrated, in a database of its own: what a store's spec runs its SQL against. */
export interface StoreDatabase {
  dataSource: DataSource;
  /** Transactions on it, as the service opens them. */
  transactions: Transactions;
  /** Plain SQL on the same database, to look at rows behind the store's back. */
  database: TestDatabase;
  close(): Promise<void>;
}

export async function openStoreDatabase(schema: Pick<ServiceDataSourceOptions, 'schema' | 'entities' | 'migrations'>): Promise<StoreDatabase> {
  const database = await createTestDatabase();
  try {
    const dataSource = await openServiceDataSource({ target: { url: database.url, poolSize: 4 }, ...schema, logger: testLogger() });
    return {
      dataSource,
      transactions: new Transactions(dataSource),
      database,
      close: async () => {
        await dataSource.destroy();
        await database.drop();
      },
    };
  } catch (error) {
    await database.drop();
    throw error;
  }
}
