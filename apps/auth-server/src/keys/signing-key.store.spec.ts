import { openStoreDatabase, type StoreDatabase } from '@tessera/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH_SCHEMA } from '../auth-schema.js';
import { SigningKey } from './signing-key.entity.js';
import { SqlSigningKeyStore } from './signing-key.store.js';

let db: StoreDatabase;
let store: SqlSigningKeyStore;

const key = (kid: string, createdAt: Date) =>
  Object.assign(new SigningKey(), { kid, alg: 'ES256', publicJwk: { kty: 'EC', kid }, privateJwkSealed: 'sealed', createdAt, retiredAt: null });

beforeAll(async () => {
  db = await openStoreDatabase(AUTH_SCHEMA);
  store = new SqlSigningKeyStore(db.dataSource);
});
afterAll(() => db?.close());

describe('SqlSigningKeyStore', () => {
  it('answers the newest key not retired, and every key newest first', async () => {
    await db.transactions.run((tx) => store.insert(tx, key('old', new Date(Date.now() - 60_000))));
    await db.transactions.run(async (tx) => {
      await store.insert(tx, key('new', new Date()));
      await store.retire(tx, 'old', new Date());
    });
    expect((await db.transactions.run((tx) => store.current(tx)))?.kid).toBe('new');
    const all = await store.all();
    expect(all.map((k) => k.kid)).toEqual(['new', 'old']);
    expect(all[1].retiredAt).toBeInstanceOf(Date);
  });

  it('lets one rotation decide at a time', async () => {
    const order: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const first = db.transactions.run(async (tx) => {
      await store.lockRotation(tx);
      await held;
      order.push('first');
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const second = db.transactions.run(async (tx) => {
      await store.lockRotation(tx);
      order.push('second');
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    release();
    await Promise.all([first, second]);
    expect(order).toEqual(['first', 'second']);
  });
});
