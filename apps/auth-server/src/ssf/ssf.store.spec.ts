import { openStoreDatabase, type StoreDatabase } from '@tessera/testing';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH_SCHEMA } from '../auth-schema.js';
import type { SsfPendingSet, SsfStream } from './ssf-stream.entity.js';
import { subjectKey } from './ssf-subjects.js';
import { SqlSsfStore } from './ssf.store.js';

let db: StoreDatabase;
let store: SqlSsfStore;

const stream = (fields: Partial<SsfStream> = {}): SsfStream => ({
  id: randomUUID(),
  receiver: 'receiver-1',
  eventsRequested: [],
  deliveryMethod: 'urn:ietf:rfc:8936',
  endpointUrl: null,
  authorizationHeaderSealed: null,
  description: null,
  status: 'enabled',
  statusReason: null,
  createdAt: new Date(),
  updatedAt: new Date(),
  lastVerificationAt: null,
  ...fields,
});
const pending = (streamId: string, at: Date): SsfPendingSet => {
  const jti = randomUUID();
  return { jti, streamId, claims: { jti }, createdAt: at, attempts: 0, nextAttemptAt: at, lastError: null };
};

beforeAll(async () => {
  db = await openStoreDatabase(AUTH_SCHEMA);
  store = new SqlSsfStore(db.dataSource);
});
afterAll(() => db?.close());

describe('SqlSsfStore', () => {
  it('finds the streams whose subjects an event covers: a complex subject only when all its parts are there', async () => {
    const byClient = stream();
    const bySession = stream();
    const disabled = stream({ status: 'disabled' });
    await db.transactions.run(async (tx) => {
      for (const s of [byClient, bySession, disabled]) await store.insertStream(tx, s);
      const client = { format: 'opaque', id: 'app_1' };
      await store.addSubject(tx, { streamId: byClient.id, key: subjectKey(client), subject: client });
      await store.addSubject(tx, { streamId: disabled.id, key: subjectKey(client), subject: client });
      const session = { format: 'complex', application: client, session: { format: 'opaque', id: 'fam-1' } };
      await store.addSubject(tx, { streamId: bySession.id, key: subjectKey(session), subject: session });
    });
    const found = (keys: string[]) => db.transactions.run(async (tx) => (await store.streamsFor(tx, keys)).map((s) => s.id).sort());
    expect(await found(['opaque:app_1'])).toEqual([byClient.id]);
    expect(await found(['opaque:app_1', 'opaque:fam-1'])).toEqual([byClient.id, bySession.id].sort());
    expect(await found(['opaque:fam-1'])).toEqual([]);
    expect(await found(['opaque:app_2'])).toEqual([]);
  });

  it('keeps each receiver to its own streams', async () => {
    const mine = stream({ receiver: 'me' });
    await db.transactions.run((tx) => store.insertStream(tx, mine));
    expect(await store.streamOf('me', mine.id)).not.toBeNull();
    expect(await store.streamOf('someone-else', mine.id)).toBeNull();
  });

  it('answers pending SETs oldest first, removes acknowledged ones, and ignores ids that are not SETs', async () => {
    const s = stream();
    const t0 = Date.now();
    const sets = [0, 1, 2].map((i) => pending(s.id, new Date(t0 + i)));
    await db.transactions.run(async (tx) => {
      await store.insertStream(tx, s);
      await store.enqueue(tx, sets);
    });
    expect(await store.pending(s.id, 2)).toEqual({ sets: sets.slice(0, 2), more: true });
    await store.remove(s.id, [sets[0].jti, 'not-a-uuid']);
    expect((await store.pending(s.id, 5)).sets.map((x) => x.jti)).toEqual([sets[1].jti, sets[2].jti]);
  });

  it('claims due pushes of enabled push streams once, until the lease runs out', async () => {
    const push = stream({ deliveryMethod: 'urn:ietf:rfc:8935', endpointUrl: 'https://receiver.example/events' });
    const paused = stream({ deliveryMethod: 'urn:ietf:rfc:8935', endpointUrl: 'https://receiver.example/events', status: 'paused' });
    const now = new Date();
    const due = pending(push.id, now);
    await db.transactions.run(async (tx) => {
      await store.insertStream(tx, push);
      await store.insertStream(tx, paused);
      await store.enqueue(tx, [due, pending(paused.id, now)]);
    });
    const claimed = await store.claimDuePushes(now, 30_000, 10);
    expect(claimed.map((c) => [c.set.jti, c.stream.id])).toEqual([[due.jti, push.id]]);
    expect(await store.claimDuePushes(now, 30_000, 10)).toEqual([]);
    expect((await store.claimDuePushes(new Date(now.getTime() + 31_000), 30_000, 10)).map((c) => c.set.jti)).toEqual([due.jti]);
    await store.failed(due.jti, new Date(now.getTime() + 60_000), 'HTTP 503');
    expect(await store.claimDuePushes(new Date(now.getTime() + 59_000), 30_000, 10)).toEqual([]);
    const retried = await store.claimDuePushes(new Date(now.getTime() + 61_000), 30_000, 10);
    expect(retried[0].set).toMatchObject({ attempts: 1, lastError: 'HTTP 503' });
    await store.delivered(due.jti);
    expect(await store.claimDuePushes(new Date(now.getTime() + 120_000), 30_000, 10)).toEqual([]);
  });

  it("summarises a receiver's streams newest first: subjects, waiting SETs, the oldest one and the latest push failure", async () => {
    const receiver = `summary-${randomUUID()}`;
    const t0 = Date.now();
    const older = stream({ receiver, deliveryMethod: 'urn:ietf:rfc:8935', endpointUrl: 'https://receiver.example/events', createdAt: new Date(t0) });
    const newer = stream({ receiver, createdAt: new Date(t0 + 1000) });
    const [first, second] = [pending(older.id, new Date(t0 + 1)), pending(older.id, new Date(t0 + 2))];
    await db.transactions.run(async (tx) => {
      await store.insertStream(tx, older);
      await store.insertStream(tx, newer);
      for (const id of ['app_1', 'app_2']) await store.addSubject(tx, { streamId: older.id, key: `opaque:${id}`, subject: { format: 'opaque', id } });
      await store.enqueue(tx, [first, second]);
    });
    await store.failed(first.jti, new Date(t0 + 60_000), 'HTTP 500');
    await store.failed(second.jti, new Date(t0 + 90_000), 'HTTP 503');

    const summaries = await store.summaries(receiver, 10);
    expect(summaries.map((x) => x.stream.id)).toEqual([newer.id, older.id]);
    expect(summaries[0]).toMatchObject({ subjects: 0, pending: 0, oldestPendingAt: null, lastPushError: null });
    expect(summaries[1]).toMatchObject({ subjects: 2, pending: 2, oldestPendingAt: new Date(t0 + 1), lastPushError: 'HTTP 503' });
    expect((await store.summaries(receiver, 1)).map((x) => x.stream.id)).toEqual([newer.id]);
    expect(await store.summaries(`${receiver}-nobody`, 10)).toEqual([]);
  });
});
