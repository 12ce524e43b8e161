import { openStoreDatabase, type StoreDatabase } from '@tessera/testing';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROKER_SCHEMA } from '../broker-schema.js';
import { OutboundToken } from '../outbound-token/outbound-token.entity.js';
import { SqlOutboundTokenStore } from '../outbound-token/outbound-token.store.js';
import { Provider } from '../providers/provider.entity.js';
import { SqlProviderStore } from '../providers/provider.store.js';
import { SqlAuthorizationRequestStore } from './authorization-request.store.js';

let db: StoreDatabase;
let store: SqlAuthorizationRequestStore;
let tokenId: string;

beforeAll(async () => {
  db = await openStoreDatabase(BROKER_SCHEMA);
  store = new SqlAuthorizationRequestStore(db.dataSource);
  // A pending authorization belongs to a token, which belongs to a provider.
  const provider = Object.assign(new Provider(), {
    id: randomUUID(),
    name: 'acme',
    grantType: 'authorization_code',
    clientId: 'c',
    tokenUrl: 'https://acme.example/token',
  });
  tokenId = randomUUID();
  const token = Object.assign(new OutboundToken(), { id: tokenId, name: 'acme token', providerId: provider.id, state: 'expired' });
  await db.transactions.run(async (tx) => {
    await new SqlProviderStore(db.dataSource).insert(tx, [provider]);
    await new SqlOutboundTokenStore(db.dataSource).insert(tx, token);
  });
});
afterAll(() => db?.close());

describe('SqlAuthorizationRequestStore', () => {
  it('hands a state to exactly one of two redirects that carry it at once', async () => {
    const state = randomUUID();
    const expiresAt = new Date(Date.now() + 60_000);
    await db.transactions.run((tx) => store.insert(tx, { state, tokenId, codeVerifierSealed: 'sealed', createdAt: new Date(), expiresAt, usedAt: null }));
    expect((await store.byState(state))?.usedAt).toBeNull();
    const answers = await Promise.all([store.consume(state, new Date()), store.consume(state, new Date())]);
    expect(answers.filter(Boolean)).toHaveLength(1);
    expect(answers.find(Boolean)).toMatchObject({ code_verifier_sealed: 'sealed' });
    expect(new Date(answers.find(Boolean)!.expires_at).getTime()).toBe(expiresAt.getTime());
    expect((await store.byState(state))?.usedAt).toBeInstanceOf(Date);
    expect(await store.consume('never-issued', new Date())).toBeUndefined();
  });
});
