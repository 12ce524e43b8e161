import { openStoreDatabase, type StoreDatabase } from '@tessera/testing';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROKER_SCHEMA } from '../broker-schema.js';
import { WebhookAttempt } from './webhook-attempt.entity.js';
import { WebhookEndpoint } from './webhook-endpoint.entity.js';
import { SqlWebhookEndpointStore } from './webhook-endpoint.store.js';
import { WebhookMessage } from './webhook-message.entity.js';
import { SqlWebhookMessageStore } from './webhook-message.store.js';

let db: StoreDatabase;
let endpoints: SqlWebhookEndpointStore;
let messages: SqlWebhookMessageStore;
const now = new Date('2026-12-07T12:00:00Z');

beforeAll(async () => {
  db = await openStoreDatabase(BROKER_SCHEMA);
  endpoints = new SqlWebhookEndpointStore(db.dataSource);
  messages = new SqlWebhookMessageStore(db.dataSource);
});
afterAll(() => db?.close());

async function endpoint(enabled = true): Promise<WebhookEndpoint> {
  const row = Object.assign(new WebhookEndpoint(), {
    id: randomUUID(),
    url: 'https://hooks.example.test',
    eventTypes: ['*'],
    description: null,
    enabled,
    disabledReason: enabled ? null : 'manual',
    failingSince: null,
    secretSealed: 'sealed',
    previousSecretSealed: null,
    previousSecretUntil: null,
    signingKeySealed: null,
    publicKey: null,
    createdAt: now,
    updatedAt: now,
  });
  return db.transactions.run((tx) => endpoints.save(tx, row));
}

function message(endpointId: string, eventId = randomUUID(), state: WebhookMessage['state'] = 'pending'): WebhookMessage {
  return Object.assign(new WebhookMessage(), {
    id: randomUUID(),
    endpointId,
    messageId: `msg_${eventId}`,
    eventId,
    eventType: 'tessera.events.auth.token.revoked',
    body: '{}',
    state,
    scheduleStep: 0,
    nextAttemptAt: state === 'pending' ? now : null,
    claimedUntil: null,
    createdAt: now,
    deliveredAt: null,
  });
}

describe('SqlWebhookMessageStore', () => {
  it('stores one message per endpoint and id, however often the event is delivered', async () => {
    const e = await endpoint();
    const eventId = randomUUID();
    await db.transactions.run((tx) => messages.insert(tx, [message(e.id, eventId)]));
    await db.transactions.run((tx) => messages.insert(tx, [message(e.id, eventId)]));
    expect(await db.database.query(`SELECT 1 FROM broker.webhook_message WHERE endpoint_id = $1`, [e.id])).toHaveLength(1);
  });

  it('claims at most perEndpoint per endpoint minus those in flight, none of a disabled endpoint, each once while leased', async () => {
    const [slow, fast, off] = [await endpoint(), await endpoint(), await endpoint(false)];
    await db.transactions.run((tx) => messages.insert(tx, [...Array.from({ length: 6 }, () => message(slow.id)), message(fast.id), message(off.id)]));
    const request = { now, limit: 100, perEndpoint: 2, busy: new Map([[slow.id, 1]]), leaseMs: 30_000 };
    const claimed = await messages.claimDue(request);
    const mine = claimed.filter((m) => [slow.id, fast.id, off.id].includes(m.endpointId));
    expect(mine.filter((m) => m.endpointId === slow.id)).toHaveLength(1);
    expect(mine.filter((m) => m.endpointId === fast.id)).toHaveLength(1);
    expect(mine.filter((m) => m.endpointId === off.id)).toHaveLength(0);
    // Leased: not claimed again until the lease ends.
    const again = await messages.claimDue({ ...request, busy: new Map() });
    expect(again.map((m) => m.id)).not.toContain(mine[0].id);
    const later = await messages.claimDue({ ...request, now: new Date(now.getTime() + 31_000), busy: new Map(), limit: 1000, perEndpoint: 10 });
    expect(later.filter((m) => m.endpointId === slow.id)).toHaveLength(6);
  });

  it("offers every endpoint its free slots, however long another endpoint's backlog of older messages", async () => {
    const [dead, healthy] = [await endpoint(), await endpoint()];
    const older = new Date(now.getTime() - 60_000);
    const backlog = Array.from({ length: 4_100 }, () => Object.assign(message(dead.id), { nextAttemptAt: older, createdAt: older }));
    await db.transactions.run((tx) => messages.insert(tx, [...backlog, message(healthy.id)]));
    const claimed = await messages.claimDue({ now, limit: 64, perEndpoint: 4, busy: new Map([[dead.id, 4]]), leaseMs: 30_000 });
    expect(claimed.filter((m) => m.endpointId === dead.id)).toHaveLength(0);
    expect(claimed.filter((m) => m.endpointId === healthy.id)).toHaveLength(1);
  });

  it('records a batch of attempts with each message where it now stands, its lease ended', async () => {
    const e = await endpoint();
    const [ok, again] = [message(e.id), message(e.id)];
    await db.transactions.run((tx) => messages.insert(tx, [ok, again]));
    await messages.claimDue({ now, limit: 100, perEndpoint: 10, busy: new Map(), leaseMs: 30_000 });
    const attempt = (m: WebhookMessage, status: number | null) =>
      Object.assign(new WebhookAttempt(), {
        id: randomUUID(),
        messageRowId: m.id,
        attemptedAt: now,
        status,
        latencyMs: 3,
        response: '',
        error: status ? null : 'timeout',
      });
    const retryAt = new Date(now.getTime() + 5_000);
    await db.transactions.run((tx) =>
      messages.recordAttempts(tx, [
        { attempt: attempt(ok, 204), state: 'delivered', scheduleStep: 0, nextAttemptAt: null, deliveredAt: now },
        { attempt: attempt(again, null), state: 'pending', scheduleStep: 1, nextAttemptAt: retryAt, deliveredAt: null },
      ]),
    );
    const { items, attempts } = await messages.page(e.id, { limit: 10 });
    expect(items.find((m) => m.id === ok.id)).toMatchObject({ state: 'delivered', deliveredAt: now, claimedUntil: null, nextAttemptAt: null });
    expect(items.find((m) => m.id === again.id)).toMatchObject({ state: 'pending', scheduleStep: 1, nextAttemptAt: retryAt, claimedUntil: null });
    expect(attempts.map((a) => [a.messageRowId, a.status, a.error]).sort()).toEqual(
      [
        [again.id, null, 'timeout'],
        [ok.id, 204, null],
      ].sort(),
    );
  });

  it('re-queues what failed since a time, at the start of the schedule, and pages newest first with attempts', async () => {
    const e = await endpoint();
    const [old, recent, delivered] = [message(e.id, randomUUID(), 'failed'), message(e.id, randomUUID(), 'failed'), message(e.id, randomUUID(), 'delivered')];
    recent.createdAt = new Date(now.getTime() + 1_000);
    await db.transactions.run((tx) => messages.insert(tx, [old, recent, delivered]));
    const attempt = (m: WebhookMessage, at: Date) =>
      Object.assign(new WebhookAttempt(), { id: randomUUID(), messageRowId: m.id, attemptedAt: at, status: 500, latencyMs: 3, response: 'no', error: null });
    await db.transactions.run((tx) =>
      messages.recordAttempts(tx, [
        { attempt: attempt(old, new Date(now.getTime() - 3_600_000)), state: 'failed', scheduleStep: 3, nextAttemptAt: null, deliveredAt: null },
        { attempt: attempt(recent, now), state: 'failed', scheduleStep: 3, nextAttemptAt: null, deliveredAt: null },
      ]),
    );
    const requeued = await db.transactions.run((tx) => messages.requeue(tx, e.id, { failedSince: new Date(now.getTime() - 60_000) }, now));
    expect(requeued).toBe(1);
    const page = await messages.page(e.id, { limit: 10 });
    // Newest first: the re-queued one (created last) leads; the one that failed before `since` stays failed.
    expect(page.items[0]).toMatchObject({ id: recent.id, state: 'pending', scheduleStep: 0 });
    expect(page.items.find((m) => m.id === old.id)).toMatchObject({ state: 'failed', scheduleStep: 3 });
    expect(page.items).toHaveLength(3);
    expect(page.attempts.filter((a) => a.messageRowId === recent.id)).toHaveLength(1);
    const second = await messages.page(e.id, { limit: 10, before: { createdAt: recent.createdAt, id: recent.id } });
    expect(second.items.map((m) => m.id)).not.toContain(recent.id);
  });
});

describe('SqlWebhookEndpointStore', () => {
  it('keeps the first failure of a streak, ends it on success, and disables an endpoint only once', async () => {
    const e = await endpoint();
    const first = await db.transactions.run((tx) => endpoints.noteFailure(tx, e.id, now));
    const second = await db.transactions.run((tx) => endpoints.noteFailure(tx, e.id, new Date(now.getTime() + 5_000)));
    expect(second).toEqual(first);
    await db.transactions.run((tx) => endpoints.noteSuccess(tx, [e.id]));
    expect((await endpoints.get(e.id))?.failingSince).toBeNull();
    expect(await db.transactions.run((tx) => endpoints.disable(tx, e.id, 'gone', now))).toMatchObject({ enabled: false, disabledReason: 'gone' });
    expect(await db.transactions.run((tx) => endpoints.disable(tx, e.id, 'failing', now))).toBeNull();
  });
});
