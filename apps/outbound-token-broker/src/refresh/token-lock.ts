import type { DataSource, EntityManager, QueryRunner } from 'typeorm';

/**
 * One refresh (or revocation) at a time per token across every broker replica: a Postgres session advisory lock keyed
 * by the token id. A lock in memory would let two replicas spend the same refresh token, and providers that rotate
 * refresh tokens treat the second use as theft and revoke the whole grant. The lock dies with the session, so a
 * crashed replica cannot leave a token locked. Work under the lock runs on the lock's own connection.
 */
export async function withTokenLock<T>(
  dataSource: DataSource,
  tokenId: string,
  mode: 'wait' | 'skip',
  work: (manager: EntityManager) => Promise<T>,
): Promise<{ locked: true; value: T } | { locked: false }> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  const key = `tessera:broker:token:${tokenId}`;
  try {
    if (mode === 'wait') {
      await runner.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [key]);
    } else {
      const [{ locked }] = await runner.query('SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked', [key]);
      if (!locked) return { locked: false };
    }
    try {
      return { locked: true, value: await work(runner.manager) };
    } finally {
      await runner.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [key]).catch(() => undefined);
    }
  } finally {
    await runner.release();
  }
}

/**
 * Locks as many of `ids` as are free (try-lock, never waiting) on one session, runs `work` with those, and unlocks
 * them. A scheduler batch costs two statements of locking instead of two per token.
 */
export async function lockTokens<T>(runner: QueryRunner, ids: string[], work: (locked: string[]) => Promise<T>): Promise<T> {
  const rows: { id: string }[] = await runner.query(
    `SELECT id FROM unnest($1::uuid[]) AS id WHERE pg_try_advisory_lock(hashtextextended('tessera:broker:token:' || id::text, 0))`, [ids]);
  const locked = rows.map((r) => r.id);
  try {
    return await work(locked);
  } finally {
    if (locked.length) await runner.query(`SELECT pg_advisory_unlock(hashtextextended('tessera:broker:token:' || id::text, 0)) FROM unnest($1::uuid[]) AS id`, [locked]).catch(() => undefined);
  }
}
