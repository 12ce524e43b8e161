import { openServiceDataSource } from '@tessera/persistence';
import { createTestDatabase, testLogger, type TestDatabase } from '@tessera/testing';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Initial1764000000000 } from '../src/migrations/1764000000000-initial.js';
import { Tokens1764100000000 } from '../src/migrations/1764100000000-tokens.js';
import { ClientRevision1764200000000 } from '../src/migrations/1764200000000-client-revision.js';
import { StaleClientRecord } from '../src/clients/client-directory.js';
import { FamilyWriter, type NewFamily } from '../src/tokens/family-writer.js';
import { SqlRefreshTokenFamilyStore } from '../src/tokens/refresh-token-family.store.js';

/** The group commit behind client_credentials, on the real Postgres with the auth schema's own migrations. */
let database: TestDatabase;
let dataSource: DataSource;
let writer: FamilyWriter;

function family(overrides: Partial<NewFamily> = {}): NewFamily {
  return {
    id: randomUUID(),
    integrationId: randomUUID(),
    clientId: 'client-a',
    subject: 'client-a',
    scope: '*:orgs=read',
    grantType: 'client_credentials',
    createdAt: new Date(),
    expiresAt: new Date(Date.now() + 28 * 86_400_000),
    tokenHash: randomUUID(),
    clientRevision: 1,
    ...overrides,
  };
}

beforeAll(async () => {
  database = await createTestDatabase();
  dataSource = await openServiceDataSource({
    target: { url: database.url, poolSize: 4 },
    schema: 'auth',
    entities: [],
    migrations: [Initial1764000000000, Tokens1764100000000, ClientRevision1764200000000],
    logger: testLogger(),
  });
  writer = new FamilyWriter(new SqlRefreshTokenFamilyStore(dataSource));
});
afterAll(async () => {
  await dataSource?.destroy();
  await database?.drop();
});

describe('FamilyWriter', () => {
  it('writes grants that arrive together in shared transactions, each with its refresh token, before answering', async () => {
    const families = Array.from({ length: 60 }, (_, i) => family({ clientId: `burst-${i}`, expiresAt: i % 2 ? null : new Date(Date.now() + 1000) }));
    await Promise.all(families.map((f) => writer.write(f)));
    const rows = await database.query<{ id: string; tx: string; expires_at: Date | null; token_hash: string }>(
      `SELECT f.id, f.xmin::text AS tx, f.expires_at, t.token_hash FROM auth.refresh_token_family f JOIN auth.refresh_token t ON t.family_id = f.id WHERE f.client_id LIKE 'burst-%'`,
    );
    expect(rows).toHaveLength(60);
    for (const f of families) {
      const row = rows.find((r) => r.id === f.id)!;
      expect(row.token_hash).toBe(f.tokenHash);
      expect(row.expires_at?.getTime() ?? null).toBe(f.expiresAt?.getTime() ?? null);
    }
    // Rows written by one transaction share its xmin: 60 grants in far fewer commits.
    expect(new Set(rows.map((r) => r.tx)).size).toBeLessThanOrEqual(10);
  });

  it('fails only the grant whose row cannot be written when a batch fails', async () => {
    const existing = family({ clientId: 'dup' });
    await writer.write(existing);
    const good = [family({ clientId: 'dup-good-1' }), family({ clientId: 'dup-good-2' })];
    const results = await Promise.allSettled([
      writer.write(good[0]),
      writer.write({ ...family({ clientId: 'dup-bad' }), id: existing.id }),
      writer.write(good[1]),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const stored = await database.query<{ client_id: string }>(
      `SELECT client_id FROM auth.refresh_token_family WHERE client_id LIKE 'dup%' ORDER BY client_id`,
    );
    expect(stored.map((r) => r.client_id)).toEqual(['dup', 'dup-good-1', 'dup-good-2']);
  });

  it("stores no grant decided on a client record older than the client's revision barrier, in the same batch as current ones", async () => {
    await database.query(`INSERT INTO auth.client_revision (client_id, revision, changed_at) VALUES ('barrier', 5, now())`);
    const results = await Promise.allSettled([
      writer.write(family({ clientId: 'barrier', clientRevision: 4 })),
      writer.write(family({ clientId: 'barrier', clientRevision: 5 })),
      writer.write(family({ clientId: 'barrier-free', clientRevision: 1 })),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled', 'fulfilled']);
    expect((results[0] as PromiseRejectedResult).reason).toBeInstanceOf(StaleClientRecord);
    const stored = await database.query<{ client_id: string }>(
      `SELECT client_id FROM auth.refresh_token_family WHERE client_id LIKE 'barrier%' ORDER BY client_id`,
    );
    expect(stored.map((r) => r.client_id)).toEqual(['barrier', 'barrier-free']);
  });

  it('answers a lone grant on its own, without waiting for a batch to fill', async () => {
    await writer.write(family({ clientId: 'lone' }));
    expect(await database.query(`SELECT 1 FROM auth.refresh_token_family WHERE client_id = 'lone'`)).toHaveLength(1);
  });
});
