import { openServiceDataSource } from '@tessera/persistence';
import { createTestDatabase, testLogger, type TestDatabase } from '@tessera/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { Initial1764000000000 } from '../src/migrations/1764000000000-initial.js';
import { Integrations1764100000000 } from '../src/migrations/1764100000000-integrations.js';
import { InstanceAuth1764200000000 } from '../src/migrations/1764200000000-instance-auth.js';
import { InstanceToken1764300000000 } from '../src/migrations/1764300000000-instance-token.js';
import { TokensProxyPermission1765160000000 } from '../src/migrations/1765160000000-tokens-proxy-permission.js';
import { GrantGrowth1765160001000 } from '../src/migrations/1765160001000-grant-growth.js';

/** Upgrading a registry whose integrations hold *:tokens=read, which used to open the proxy too (ADR 0016). */
let database: TestDatabase;
afterAll(async () => database?.drop());

const BEFORE = [Initial1764000000000, Integrations1764100000000, InstanceAuth1764200000000, InstanceToken1764300000000];
const open = (migrations: (new () => object)[]) =>
  openServiceDataSource({ target: { url: database.url, poolSize: 2 }, schema: 'registry', entities: [], migrations, logger: testLogger() });

describe('the tokens-proxy migration', () => {
  it('adds *:tokens=proxy where *:tokens=read was held, once, and nothing for P2PI; new settings get P6 defaults', async () => {
    database = await createTestDatabase();
    const before = await open(BEFORE);
    const insert = (name: string, permissions: string[]) =>
      before.query(
        `INSERT INTO registry.integration (id, name, application_id, secret_hash, permissions, access_token_ttl_seconds) VALUES (gen_random_uuid(), $1, $1, 'h', $2, 3600)`,
        [name, permissions],
      );
    await insert('reader', ['*:orgs=read', '*:tokens=read']);
    await insert('both', ['*:tokens=read', '*:tokens=proxy']);
    await insert('other', ['*:orgs=read']);
    await before.destroy();
    const after = await open([...BEFORE, TokensProxyPermission1765160000000, GrantGrowth1765160001000]);
    const rows: { name: string; permissions: string[]; refresh_tokens_on_client_credentials: boolean; client_credentials_tokens_per_hour: number | null }[] =
      await after.query(
        `SELECT name, permissions, refresh_tokens_on_client_credentials, client_credentials_tokens_per_hour FROM registry.integration ORDER BY name`,
      );
    await after.destroy();
    expect(rows.map((r) => [r.name, r.permissions])).toEqual([
      ['both', ['*:tokens=read', '*:tokens=proxy']],
      ['other', ['*:orgs=read']],
      ['reader', ['*:orgs=read', '*:tokens=read', '*:tokens=proxy']],
    ]);
    expect(rows.every((r) => r.refresh_tokens_on_client_credentials && r.client_credentials_tokens_per_hour === null)).toBe(true);
  });
});
