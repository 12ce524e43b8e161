import { openServiceDataSource } from '@tessera/persistence';
import { createTestDatabase, testLogger, type TestDatabase } from '@tessera/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { Initial1764000000000 } from '../src/migrations/1764000000000-initial.js';
import { OutboundTokens1764100000000 } from '../src/migrations/1764100000000-outbound-tokens.js';
import { TokenPlatformInstance1765160000000 } from '../src/migrations/1765160000000-token-platform-instance.js';
import { Retention1765160001000 } from '../src/migrations/1765160001000-retention.js';

/** Upgrading a broker that already holds P2PI tokens: they must be recognised, or *:tokens=read would still reach them. */
let database: TestDatabase;
afterAll(async () => database?.drop());

const open = (migrations: (new () => object)[]) =>
  openServiceDataSource({ target: { url: database.url, poolSize: 2 }, schema: 'broker', entities: [], migrations, logger: testLogger() });

describe('the platform_instance migration', () => {
  it('marks the tokens the registry created for a known instance, and only those', async () => {
    database = await createTestDatabase();
    const before = await open([Initial1764000000000, OutboundTokens1764100000000]);
    await before.query(
      `INSERT INTO broker.peer_instance (instance_id, name, base_url) VALUES (gen_random_uuid(), 'acme', 'https://acme'), (gen_random_uuid(), 'a', 'https://a'), (gen_random_uuid(), 'a-b', 'https://ab')`,
    );
    await before.query(
      `INSERT INTO broker.provider (id, name, grant_type, client_id, token_url, version) VALUES ('6f9619ff-8b86-4d11-b42d-00c04fc964ff', 'p', 'authorization_code', 'c', 'https://p/token', 1)`,
    );
    for (const name of ['p2pi-acme-1a2b', 'p2pi-a-b-3c4d', 'p2pi-a-5e6f', 'p2pi-unknown-7a8b', 'p2pi-acme-app-1234', 'crm']) {
      await before.query(
        `INSERT INTO broker.outbound_token (id, name, provider_id, state) VALUES (gen_random_uuid(), $1, '6f9619ff-8b86-4d11-b42d-00c04fc964ff', 'valid')`,
        [name],
      );
    }
    await before.destroy();
    const after = await open([Initial1764000000000, OutboundTokens1764100000000, TokenPlatformInstance1765160000000, Retention1765160001000]);
    const rows: { name: string; platform_instance: string | null }[] = await after.query(
      `SELECT name, platform_instance FROM broker.outbound_token ORDER BY name`,
    );
    await after.destroy();
    expect(Object.fromEntries(rows.map((r) => [r.name, r.platform_instance]))).toEqual({
      crm: null,
      'p2pi-a-5e6f': 'a',
      'p2pi-a-b-3c4d': 'a-b',
      'p2pi-acme-1a2b': 'acme',
      'p2pi-acme-app-1234': null,
      'p2pi-unknown-7a8b': null,
    });
  });
});
