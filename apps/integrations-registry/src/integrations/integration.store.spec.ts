import { openStoreDatabase, type StoreDatabase } from '@tessera/testing';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REGISTRY_SCHEMA } from '../registry-schema.js';
import { SqlIntegrationStore, type NewIntegration } from './integration.store.js';

let db: StoreDatabase;
let store: SqlIntegrationStore;

function integration(overrides: Partial<NewIntegration> = {}): NewIntegration {
  const id = randomUUID();
  return {
    id,
    name: `integration ${id}`,
    applicationId: `app-${id}`,
    secretHash: 'hash',
    previousSecretHash: null,
    previousSecretValidUntil: null,
    redirectUris: [],
    enabled: true,
    refreshTokensValidUntilRevoked: false,
    permissions: ['*:orgs=read'],
    accessTokenTtlSeconds: 3600,
    refreshTokenReuseIntervalSeconds: 30,
    revision: 1,
    refreshTokensOnClientCredentials: true,
    clientCredentialsTokensPerHour: null,
    grantTypes: ['client_credentials'],
    tokenEndpointAuthMethod: 'client_secret_basic',
    jwks: null,
    jwksUri: null,
    dpopBoundAccessTokens: false,
    ...overrides,
  };
}

beforeAll(async () => {
  db = await openStoreDatabase(REGISTRY_SCHEMA);
  store = new SqlIntegrationStore(db.dataSource);
});
afterAll(() => db?.close());

describe('SqlIntegrationStore', () => {
  it('stores an integration and finds it by id and by application id', async () => {
    const saved = await db.transactions.run((tx) => store.insert(tx, integration({ clientCredentialsTokensPerHour: 10 })));
    expect(saved.createdAt).toBeInstanceOf(Date);
    expect(await store.get(saved.id)).toMatchObject({ name: saved.name, clientCredentialsTokensPerHour: 10 });
    expect((await store.byApplicationId(saved.applicationId))?.id).toBe(saved.id);
    expect(await store.get(randomUUID())).toBeNull();
  });

  it('writes nothing of a change whose transaction rolls back', async () => {
    const row = integration();
    await expect(
      db.transactions.run(async (tx) => {
        await store.insert(tx, row);
        throw new Error('the event could not be recorded');
      }),
    ).rejects.toThrow();
    expect(await store.get(row.id)).toBeNull();
  });

  it('holds a change until the transaction that locked the integration ends', async () => {
    const saved = await db.transactions.run((tx) => store.insert(tx, integration()));
    const order: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const first = db.transactions.run(async (tx) => {
      const row = (await store.lockForChange(tx, saved.id))!;
      await held;
      order.push('first');
      await store.save(tx, Object.assign(row, { revision: row.revision + 1 }));
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const second = db.transactions.run(async (tx) => {
      const row = (await store.lockForChange(tx, saved.id))!;
      order.push(`second saw revision ${row.revision}`);
      await store.save(tx, Object.assign(row, { revision: row.revision + 1 }));
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    release();
    await Promise.all([first, second]);
    expect(order).toEqual(['first', 'second saw revision 2']);
    expect((await store.get(saved.id))?.revision).toBe(3);
  });

  it('pages by name, matching a part of it literally and case-insensitively', async () => {
    const tag = randomUUID().slice(0, 8);
    for (const name of [`b-${tag}-50%`, `a-${tag}-5x`, `c-${tag}-50%`]) await db.transactions.run((tx) => store.insert(tx, integration({ name })));
    await db.transactions.run((tx) => store.insert(tx, integration({ name: `d-${tag}-50%`, enabled: false })));
    const page = await store.page({ name: `${tag.toUpperCase()}-50%`, enabled: true, limit: 1, offset: 1 });
    expect(page.total).toBe(2);
    expect(page.items.map((i) => i.name)).toEqual([`c-${tag}-50%`]);
  });

  it('deletes an integration and counts the permissions still granted', async () => {
    const kept = await db.transactions.run((tx) => store.insert(tx, integration({ permissions: ['counted:users=read', 'counted:orgs=read'] })));
    const gone = await db.transactions.run((tx) => store.insert(tx, integration({ permissions: ['counted:users=read', 'gone:users=read'] })));
    await db.transactions.run((tx) => store.delete(tx, gone.id));
    expect(await store.get(gone.id)).toBeNull();
    const counts = await store.permissionsInUse();
    expect(counts).toEqual(
      expect.arrayContaining([
        { permission: 'counted:users=read', integrations: 1 },
        { permission: 'counted:orgs=read', integrations: 1 },
      ]),
    );
    expect(counts.find((c) => c.permission === 'gone:users=read')).toBeUndefined();
    expect(kept.id).toBeDefined();
  });
});
