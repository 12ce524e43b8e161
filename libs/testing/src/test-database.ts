import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The real PostgreSQL integration tests use; override with TEST_DATABASE_URL (NATS: TEST_NATS_URL in test-config.ts). */
export const TEST_DATABASE_ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

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
