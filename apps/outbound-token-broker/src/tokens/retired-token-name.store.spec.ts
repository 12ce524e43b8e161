import { openStoreDatabase, type StoreDatabase } from '@tessera/testing';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROKER_SCHEMA } from '../broker-schema.js';
import { SqlRetiredTokenNameStore } from './retired-token-name.store.js';

let db: StoreDatabase;
let store: SqlRetiredTokenNameStore;

beforeAll(async () => {
  db = await openStoreDatabase(BROKER_SCHEMA);
  store = new SqlRetiredTokenNameStore(db.dataSource);
});
afterAll(() => db?.close());

describe('SqlRetiredTokenNameStore', () => {
  it('keeps one row per name, pointing at the provider of the token deleted last', async () => {
    expect(await store.get('acme')).toBeNull();
    const first = randomUUID();
    const second = randomUUID();
    await db.transactions.run((tx) => store.retire(tx, { name: 'acme', providerId: first, retiredAt: new Date() }));
    await db.transactions.run((tx) => store.retire(tx, { name: 'acme', providerId: second, retiredAt: new Date() }));
    expect((await store.get('acme'))?.providerId).toBe(second);
    expect(await db.database.query(`SELECT * FROM broker.retired_token_name WHERE name = 'acme'`)).toHaveLength(1);
  });
});
