import type { RetentionConfig } from '@tessera/config';
import type { Clock } from '@tessera/observability';
import { deadLetterMigration, messagingPruneRules, openServiceDataSource, Pruner } from '@tessera/persistence';
import { createTestDatabase, testLogger, type TestDatabase } from '@tessera/testing';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Initial1764000000000 } from '../src/migrations/1764000000000-initial.js';
import { Tokens1764100000000 } from '../src/migrations/1764100000000-tokens.js';
import { GrantRetention1765160000000 } from '../src/migrations/1765160000000-grant-retention.js';
import { authPruneRules } from '../src/tokens/grant-retention.js';

/**
 * The pruner on the real Postgres with auth-server's own migrations: two replicas pruning at once, batches that never
 * wait on a row another transaction holds, and nothing kept alive by the rules deleted. The clock is injected.
 */
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const retention: RetentionConfig = { pruneIntervalMs: 0, grantsMs: HOUR, inboxMs: 7 * DAY, outboxMs: HOUR, auditMs: 365 * DAY };
const now = new Date('2026-12-01T12:00:00Z');
const clock: Clock = { now: () => now, uuid: randomUUID };
let database: TestDatabase;
const replicas: DataSource[] = [];

const open = () =>
  openServiceDataSource({
    target: { url: database.url, poolSize: 2 },
    schema: 'auth',
    entities: [],
    logger: testLogger(),
    // The service runtime adds the dead-letter table to every schema; the messaging rules prune it too.
    migrations: [Initial1764000000000, Tokens1764100000000, GrantRetention1765160000000, deadLetterMigration('auth')],
  });
const pruner = (dataSource: DataSource, batchSize = 200) =>
  new Pruner(dataSource, clock, testLogger(), [...messagingPruneRules('auth', retention), ...authPruneRules(retention)], { intervalMs: 0, batchSize });
const at = (msAgo: number) => new Date(now.getTime() - msAgo);
const count = async (sql: string) => Number((await database.query<{ n: string }>(`SELECT count(*) AS n FROM ${sql}`))[0].n);

/** `n` families with one refresh token each, created, expiring and revoked as given. */
async function families(n: number, label: string, expiresAt: Date | null, revokedAt: Date | null): Promise<void> {
  await database.query(
    `WITH f AS (INSERT INTO auth.refresh_token_family (id, integration_id, client_id, subject, scope, grant_type, created_at, expires_at, revoked_at)
       SELECT gen_random_uuid(), gen_random_uuid(), $1, $1, '*:orgs=read', 'client_credentials', $2, $3, $4 FROM generate_series(1, $5) RETURNING id)
     INSERT INTO auth.refresh_token (token_hash, family_id, created_at) SELECT gen_random_uuid()::text, id, $2 FROM f`,
    [label, at(60 * DAY), expiresAt, revokedAt, n],
  );
}

beforeAll(async () => {
  database = await createTestDatabase();
  replicas.push(await open(), await open());
  // Revoked more than a day (the longest access-token lifetime) + the retention ago: prunable.
  await families(3000, 'revoked-long-ago', null, at(DAY + 2 * HOUR));
  // Revoked 23 hours ago: a day-long access token of theirs may still be live, so they stay.
  await families(20, 'revoked-recently', null, at(23 * HOUR));
  await families(1000, 'expired-long-ago', at(DAY + 2 * HOUR), null);
  await families(20, 'expired-recently', at(20 * HOUR), null);
  await families(20, 'live', at(-DAY), null);
  await families(20, 'valid-until-revoked', null, null);
  for (const [hash, expires] of [
    ['old-code', at(2 * HOUR)],
    ['fresh-code', at(10 * 60_000)],
  ] as const) {
    await database.query(
      `INSERT INTO auth.authorization_code (code_hash, client_id, redirect_uri, scope, code_challenge, subject, expires_at) VALUES ($1, 'c', 'https://x/cb', 's', 'ch', 'admin', $2)`,
      [hash, expires],
    );
  }
  await database.query(
    `INSERT INTO auth.revoked_access_token (jti, client_id, expires_at, revoked_at) VALUES (gen_random_uuid(), 'old', $1, $1), (gen_random_uuid(), 'live', $2, $1)`,
    [at(2 * HOUR), at(-HOUR)],
  );
  await database.query(`INSERT INTO auth.client_revocation (client_id, revoked_at) VALUES ('old', $1), ('recent', $2)`, [at(DAY + 2 * HOUR), at(2 * HOUR)]);
  await database.query(
    `INSERT INTO auth.outbox_event (id, type, data, occurred_at, published_at)
    SELECT gen_random_uuid(), 'published-long-ago', '{}'::jsonb, $1::timestamptz, $1::timestamptz FROM generate_series(1, 500)
    UNION ALL SELECT gen_random_uuid(), 'never-published', '{}'::jsonb, $1::timestamptz, NULL FROM generate_series(1, 5)
    UNION ALL SELECT gen_random_uuid(), 'published-just-now', '{}'::jsonb, $2::timestamptz, $2::timestamptz FROM generate_series(1, 5)`,
    [at(30 * DAY), at(60_000)],
  );
  await database.query(
    `INSERT INTO auth.processed_event (event_id, type, processed_at)
    SELECT gen_random_uuid(), 'old', $1::timestamptz FROM generate_series(1, 500) UNION ALL SELECT gen_random_uuid(), 'recent', $2::timestamptz FROM generate_series(1, 5)`,
    [at(8 * DAY), at(6 * DAY)],
  );
});
afterAll(async () => {
  for (const dataSource of replicas) await dataSource.destroy();
  await database?.drop();
});

describe('Pruner with auth-server rules', () => {
  it('two replicas pruning at once delete exactly what nothing needs, each row once, and skip a row another transaction holds', async () => {
    // A refresh (or anything else) holding one prunable family: pruning must neither wait for it nor fail.
    const holder = replicas[0].createQueryRunner();
    await holder.connect();
    await holder.startTransaction();
    const [held] = await holder.query(`SELECT id FROM auth.refresh_token_family WHERE client_id = 'revoked-long-ago' LIMIT 1 FOR UPDATE`);

    const started = Date.now();
    const [a, b] = await Promise.all(replicas.map((dataSource) => pruner(dataSource).runOnce()));
    const elapsed = Date.now() - started;
    console.log(
      `pruned ${a.revoked_refresh_token_family + b.revoked_refresh_token_family + a.expired_refresh_token_family + b.expired_refresh_token_family} grants (+ refresh tokens), 1,000 events in ${elapsed} ms, batches of 200, two replicas`,
    );
    expect(a.revoked_refresh_token_family + b.revoked_refresh_token_family).toBe(2999);
    expect(a.expired_refresh_token_family + b.expired_refresh_token_family).toBe(1000);
    expect(a.outbox_event + b.outbox_event).toBe(500);
    expect(a.processed_event + b.processed_event).toBe(500);
    expect(await count(`auth.refresh_token_family WHERE id = '${held.id}'`)).toBe(1);
    await holder.commitTransaction();
    await holder.release();

    expect(await count(`auth.refresh_token_family WHERE client_id = 'revoked-long-ago'`)).toBe(1);
    for (const kept of ['revoked-recently', 'expired-recently', 'live', 'valid-until-revoked'])
      expect(await count(`auth.refresh_token_family WHERE client_id = '${kept}'`)).toBe(20);
    // Refresh tokens went with their families, and only with them.
    expect(await count('auth.refresh_token')).toBe(await count('auth.refresh_token_family'));
    expect((await database.query<{ code_hash: string }>('SELECT code_hash FROM auth.authorization_code')).map((r) => r.code_hash)).toEqual(['fresh-code']);
    expect((await database.query<{ client_id: string }>('SELECT client_id FROM auth.revoked_access_token')).map((r) => r.client_id)).toEqual(['live']);
    expect((await database.query<{ client_id: string }>('SELECT client_id FROM auth.client_revocation')).map((r) => r.client_id)).toEqual(['recent']);
    expect(await count(`auth.outbox_event WHERE type = 'never-published'`)).toBe(5);
    expect(await count(`auth.outbox_event WHERE type = 'published-just-now'`)).toBe(5);
    expect(await count(`auth.processed_event`)).toBe(5);

    // Once the holder has let go, the next pass deletes what it held.
    expect((await pruner(replicas[1]).runOnce()).revoked_refresh_token_family).toBe(1);
  });
});
