import { openStoreDatabase, type StoreDatabase } from '@tessera/testing';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROKER_SCHEMA } from '../broker-schema.js';
import { Provider } from './provider.entity.js';
import { SqlProviderStore } from './provider.store.js';

let db: StoreDatabase;
let store: SqlProviderStore;

const draft = (name: string) =>
  Object.assign(new Provider(), { id: randomUUID(), name, grantType: 'client_credentials', clientId: 'c', tokenUrl: 'https://p.example/token' });

beforeAll(async () => {
  db = await openStoreDatabase(BROKER_SCHEMA);
  store = new SqlProviderStore(db.dataSource);
});
afterAll(() => db?.close());

describe('SqlProviderStore', () => {
  it('stores several providers all or none', async () => {
    const taken = draft(`taken-${randomUUID()}`);
    await db.transactions.run((tx) => store.insert(tx, [taken]));
    const fresh = draft(`fresh-${randomUUID()}`);
    await expect(db.transactions.run((tx) => store.insert(tx, [fresh, draft(taken.name)]))).rejects.toThrow();
    expect(await store.exists(fresh.id)).toBe(false);
    expect(await store.exists(taken.id)).toBe(true);
  });

  it('answers providers as stored, with the defaults and a version that goes up with every change', async () => {
    const [saved] = await db.transactions.run((tx) => store.insert(tx, [draft(`defaults-${randomUUID()}`)]));
    const read = (await store.get(saved.id))!;
    expect(read).toMatchObject({ scopes: [], accessTokenPath: 'access_token', timeoutSeconds: 30 });
    read.timeoutSeconds = 5;
    await db.transactions.run((tx) => store.save(tx, read));
    expect(await store.get(saved.id)).toMatchObject({ timeoutSeconds: 5, version: saved.version + 1 });
  });

  it('deletes a provider and pages the rest by name', async () => {
    const prefix = `page-${randomUUID().slice(0, 6)}`;
    const [b, a] = await db.transactions.run((tx) => store.insert(tx, [draft(`${prefix}-b`), draft(`${prefix}-a`)]));
    await db.transactions.run((tx) => store.delete(tx, b.id));
    expect(await store.get(b.id)).toBeNull();
    const { items, total } = await store.page(1000, 0);
    expect(items.filter((p) => p.name.startsWith(prefix)).map((p) => p.id)).toEqual([a.id]);
    expect(total).toBe(items.length);
  });
});
