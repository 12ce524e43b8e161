import type { DataSource, EntityManager } from 'typeorm';

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
