import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { chmod } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { pgDriver } from './traced-pg.js';
import { ensurePrivateDirectory, openToOthers, restrictToOwner } from './private-directory.js';

export interface EmbeddedPostgres {
  url: string;
  /** The one pool (of one connection) every service shares: PGlite is a single session. */
  pool: pg.Pool;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** Told when an existing data directory was open to other users (before it is closed to them). */
  warn?: (message: string, details: Record<string, unknown>) => void;
}

/**
 * A real PostgreSQL (PGlite, compiled to WebAssembly) served over the wire protocol on a loopback port, so the
 * services use the same `pg` driver, TypeORM entities and migrations as against a PostgreSQL server.
 *
 * The data directory holds the WAL, pg_hba.conf and every secret's hash or ciphertext: it is kept 0700 with files
 * 0600. PGlite's file system creates files 0666 whatever the umask, so the modes are set again once it has
 * started (initdb's files) and when it stops; files it creates in between sit inside the 0700 directory, which other
 * users cannot enter.
 */
export async function startEmbeddedPostgres(dataDir: string, options: EmbeddedPostgresOptions = {}): Promise<EmbeddedPostgres> {
  const root = resolve(dataDir);
  const directory = join(root, 'pgdata');
  // Only what Tessera keeps there: the directory itself (not whatever else TESSERA_DATA_DIR may hold), pgdata, the key.
  const restrict = async () => {
    await restrictToOwner(directory);
    await restrictToOwner(join(root, 'encryption.key')).catch(() => undefined);
    await chmod(root, 0o700);
  };
  const exposed = [...(await openToOthers(root, false)), ...(await openToOthers(directory)), ...(await openToOthers(join(root, 'encryption.key')))];
  if (exposed.length) {
    options.warn?.('the data directory was open to other users; it is now restricted to this user (0700, files 0600)', {
      dataDir: root,
      paths: exposed.length,
      example: exposed[0],
    });
  }
  await ensurePrivateDirectory(directory);
  await restrict();
  const db = await PGlite.create(directory);
  await restrict();
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0 });
  await server.start();
  const address = server.getServerConn();
  const url = `postgres://postgres@${address}/postgres`;
  const pool = new (pgDriver().Pool)({ connectionString: url, max: 1 });
  pool.on('error', () => undefined);
  return {
    url,
    pool,
    stop: async () => {
      await pool.end().catch(() => undefined);
      await server.stop();
      await db.close();
      await restrict().catch(() => undefined);
    },
  };
}
