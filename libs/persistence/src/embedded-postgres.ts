import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import pg from 'pg';

export interface EmbeddedPostgres {
  url: string;
  /** The one pool (of one connection) every service shares: PGlite is a single session. */
  pool: pg.Pool;
  stop(): Promise<void>;
}

/**
 * A real PostgreSQL (PGlite, compiled to WebAssembly) served over the wire protocol on a loopback port, so the
 * services use the same `pg` driver, TypeORM entities and migrations as against a PostgreSQL server.
 */
export async function startEmbeddedPostgres(dataDir: string): Promise<EmbeddedPostgres> {
  const directory = resolve(join(dataDir, 'pgdata'));
  await mkdir(directory, { recursive: true });
  const db = await PGlite.create(directory);
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0 });
  await server.start();
  const address = server.getServerConn();
  const url = `postgres://postgres@${address}/postgres`;
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  pool.on('error', () => undefined);
  return {
    url,
    pool,
    stop: async () => {
      await pool.end().catch(() => undefined);
      await server.stop();
      await db.close();
    },
  };
}
