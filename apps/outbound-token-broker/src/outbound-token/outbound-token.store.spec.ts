import { EventOutbox } from '@tessera/persistence';
import { openStoreDatabase, testLogger, type StoreDatabase } from '@tessera/testing';
import { systemClock } from '@tessera/observability';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROKER_SCHEMA } from '../broker-schema.js';
import { Provider } from '../providers/provider.entity.js';
import { SqlProviderStore } from '../providers/provider.store.js';
import { OutboundToken } from './outbound-token.entity.js';
import { SqlOutboundTokenStore } from './outbound-token.store.js';

let db: StoreDatabase;
let store: SqlOutboundTokenStore;
let providers: SqlProviderStore;
let outbox: EventOutbox;
let provider: Provider;

const CEILING_MS = 5_000;

async function token(overrides: Partial<OutboundToken> = {}): Promise<OutboundToken> {
  const id = randomUUID();
  const draft = Object.assign(new OutboundToken(), {
    id,
    name: `token-${id}`,
    providerId: provider.id,
    active: true,
    scopes: null,
    prompt: null,
    variables: {},
    baseUrl: null,
    platformInstance: null,
    username: null,
    passwordSealed: null,
    state: 'expired',
    ...overrides,
  });
  return db.transactions.run((tx) => store.insert(tx, draft));
}

beforeAll(async () => {
  db = await openStoreDatabase(BROKER_SCHEMA);
  store = new SqlOutboundTokenStore(db.dataSource);
  providers = new SqlProviderStore(db.dataSource);
  // Never flushed here: the events stay in the outbox table, where the test reads them.
  outbox = new EventOutbox(db.dataSource, { publish: async () => undefined }, systemClock, testLogger());
  [provider] = await db.transactions.run((tx) =>
    providers.insert(tx, [
      Object.assign(new Provider(), { id: randomUUID(), name: 'acme', grantType: 'client_credentials', clientId: 'c', tokenUrl: 'https://acme.example/token' }),
    ]),
  );
});
afterAll(() => db?.close());

describe('SqlOutboundTokenStore', () => {
  it('stores a token with the database defaults and finds it by id, by name and by provider', async () => {
    const stored = await token();
    expect(stored).toMatchObject({ tokenType: 'Bearer', consecutiveFailures: 0, proxyLimits: {} });
    expect((await store.get(stored.id))?.name).toBe(stored.name);
    expect((await store.byName(stored.name))?.id).toBe(stored.id);
    expect((await db.transactions.run((tx) => store.ofProvider(tx, provider.id))).map((t) => t.id)).toContain(stored.id);
    expect(await store.countOfProvider(provider.id)).toBeGreaterThanOrEqual(1);
  });

  it('grants a lease to one claimant at a time, and lets a revocation take it over', async () => {
    const { id } = await token();
    const first = randomUUID();
    expect(await store.claim(id, first, CEILING_MS)).toBe(true);
    expect(await store.claim(id, randomUUID(), CEILING_MS)).toBe(false);
    const revoker = randomUUID();
    expect(await store.claim(id, revoker, CEILING_MS, { takeOver: true })).toBe(true);
    // Released only by its holder: the first claimant's release no longer frees it.
    await store.releaseLeases([id], first);
    expect((await store.get(id))?.leaseId).toBe(revoker);
    await store.releaseLeases([id], revoker);
    expect((await store.get(id))?.leaseId).toBeNull();
  });

  it("takes over a lease whose holder stopped beating (it died), never a live holder's", async () => {
    const holder = randomUUID();
    const dying = new SqlOutboundTokenStore(db.dataSource, holder);
    const { id } = await token({ nextRefreshAt: new Date(Date.now() - 1000) });
    const takeover = randomUUID();
    const due = () => store.claimDue({ now: new Date(), limit: 1000, perProvider: 1000, leaseId: takeover, ceilingMs: CEILING_MS });
    const lease = randomUUID();
    expect(await dying.claim(id, lease, CEILING_MS)).toBe(true);
    await dying.beat();
    // Alive (its claim and its beat say so): nobody else may claim the token, on demand or as due.
    expect(await store.claim(id, randomUUID(), CEILING_MS)).toBe(false);
    expect(await due()).not.toContain(id);
    // Its beats stop (kill -9): the lease is void long before the provider call it covered could have ended.
    const lapse = () => db.database.query(`UPDATE broker.lease_holder SET alive_until = now() - interval '1 millisecond' WHERE id = $1`, [holder]);
    await lapse();
    // Its own holder, late with its beats but alive, never takes the token a second time.
    expect(await dying.claimDue({ now: new Date(), limit: 1000, perProvider: 1000, leaseId: randomUUID(), ceilingMs: CEILING_MS })).not.toContain(id);
    await lapse();
    expect(await due()).toContain(id);
    // And the dead holder's late answer is refused by the fence.
    const [{ token: loaded }] = await store.loadWithProviders([id]);
    expect(await dying.storeAttempts(outbox, [{ attempt: { token: loaded, events: [] }, leaseId: lease }])).toEqual(new Set());
    await db.transactions.run((tx) => store.revoke(tx, id, { state: 'revoked', lastMessage: null }));
  });

  it('stores a refresh result only under the lease it was claimed with, with its events', async () => {
    const { id } = await token();
    const lease = randomUUID();
    await store.claim(id, lease, CEILING_MS);
    const [{ token: loaded, provider: withProvider }] = await store.loadWithProviders([id]);
    expect(withProvider.id).toBe(provider.id);
    loaded.state = 'valid';
    loaded.accessTokenSealed = 'sealed';
    const events = [{ type: 'tessera.events.test.stored', data: { tokenId: id } }];
    expect(await store.storeAttempts(outbox, [{ attempt: { token: loaded, events }, leaseId: randomUUID() }])).toEqual(new Set());
    expect(await store.storeAttempts(outbox, [{ attempt: { token: loaded, events }, leaseId: lease }])).toEqual(new Set([id]));
    expect(await store.get(id)).toMatchObject({ state: 'valid', accessTokenSealed: 'sealed', leaseId: null, leaseUntil: null });
    const rows = await db.database.query(`SELECT data FROM broker.outbox_event WHERE type = 'tessera.events.test.stored' AND data->>'tokenId' = $1`, [id]);
    expect(rows).toHaveLength(1);
  });

  it('claims due tokens, no more than a provider may hold at once', async () => {
    const due = [await token({ nextRefreshAt: new Date(Date.now() - 1000) }), await token({ nextRefreshAt: new Date(Date.now() - 500) })];
    await token({ nextRefreshAt: new Date(Date.now() + 3_600_000) });
    const claimed = await store.claimDue({ now: new Date(), limit: 10, perProvider: 1, leaseId: randomUUID(), ceilingMs: CEILING_MS });
    expect(claimed).toEqual([due[0].id]);
  });

  it('revokes a token: no tokens, no schedule, no lease left', async () => {
    const { id } = await token({ state: 'valid', accessTokenSealed: 'a', refreshTokenSealed: 'r', nextRefreshAt: new Date(), scope: 'read' });
    await store.claim(id, randomUUID(), CEILING_MS);
    await db.transactions.run((tx) => store.revoke(tx, id, { state: 'revoked', lastMessage: 'gone' }));
    expect(await store.get(id)).toMatchObject({
      state: 'revoked',
      lastMessage: 'gone',
      accessTokenSealed: null,
      refreshTokenSealed: null,
      nextRefreshAt: null,
      scope: null,
      leaseId: null,
    });
  });

  it('pages by the state shown, counts by the state stored, and finds the soonest expiry', async () => {
    const soon = new Date(Date.now() + 60_000);
    const usable = await token({ state: 'valid', accessTokenSealed: 'a', expiresAt: soon });
    const lapsed = await token({ state: 'valid', accessTokenSealed: 'a', expiresAt: new Date(Date.now() - 60_000) });
    const now = new Date();
    const valid = await store.page({ limit: 1000, offset: 0, state: 'valid', now });
    const expired = await store.page({ limit: 1000, offset: 0, state: 'expired', now });
    expect(valid.items.map((t) => t.id)).toContain(usable.id);
    expect(valid.items.map((t) => t.id)).not.toContain(lapsed.id);
    expect(expired.items.map((t) => t.id)).toContain(lapsed.id);
    const counts = await store.countByState();
    expect(counts.find((c) => c.state === 'valid')?.count).toBeGreaterThanOrEqual(2);
    expect((await store.soonestExpiry())?.getTime()).toBeLessThanOrEqual(lapsed.expiresAt!.getTime());
  });
});
