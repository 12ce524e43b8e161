import { openStoreDatabase, type StoreDatabase } from '@tessera/testing';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REGISTRY_SCHEMA } from '../registry-schema.js';
import { SqlPlatformInstanceStore } from './platform-instance.store.js';

let db: StoreDatabase;
let store: SqlPlatformInstanceStore;

const register = (name = `instance-${randomUUID().slice(0, 8)}`) =>
  db.transactions.run((tx) => store.insert(tx, { id: randomUUID(), name, baseUrl: `https://${name}.example` }));

beforeAll(async () => {
  db = await openStoreDatabase(REGISTRY_SCHEMA);
  store = new SqlPlatformInstanceStore(db.dataSource);
});
afterAll(() => db?.close());

describe('SqlPlatformInstanceStore', () => {
  it('registers an instance with no authentication and finds it by id and by name', async () => {
    const saved = await register();
    expect(saved).toMatchObject({ authType: 'none', tokenId: null, token: null });
    expect((await store.get(saved.id))?.name).toBe(saved.name);
    expect((await store.byName(saved.name))?.id).toBe(saved.id);
    expect(await store.byName('nobody')).toBeNull();
  });

  it('finds the record holding an outbound token, and keeps the token state it is given', async () => {
    const saved = await register();
    const tokenId = randomUUID();
    await store.setTokenId(saved.id, tokenId);
    await db.transactions.run(async (tx) => {
      const row = (await store.lockByToken(tx, tokenId))!;
      expect(row.id).toBe(saved.id);
      row.token = { tokenId, state: 'valid', expiresAt: null, scope: 'read', lastMessage: null, updatedAt: new Date().toISOString() };
      await store.save(tx, row);
    });
    expect((await store.get(saved.id))?.token).toMatchObject({ tokenId, state: 'valid', scope: 'read' });
    expect(await db.transactions.run((tx) => store.lockByToken(tx, randomUUID()))).toBeNull();
  });

  it('deletes a record and pages the rest by name', async () => {
    const prefix = `page-${randomUUID().slice(0, 6)}`;
    const [b, a, c] = [await register(`${prefix}-b`), await register(`${prefix}-a`), await register(`${prefix}-c`)];
    await db.transactions.run((tx) => store.delete(tx, b.id));
    expect(await store.get(b.id)).toBeNull();
    const { items, total } = await store.page(100, 0);
    const mine = items.filter((i) => i.name.startsWith(prefix)).map((i) => i.id);
    expect(mine).toEqual([a.id, c.id]);
    expect(total).toBe(items.length);
  });
});
