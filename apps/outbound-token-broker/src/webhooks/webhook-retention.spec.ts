import type { Clock } from '@tessera/observability';
import { Pruner } from '@tessera/persistence';
import { openStoreDatabase, testLogger, type StoreDatabase } from '@tessera/testing';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROKER_SCHEMA } from '../broker-schema.js';
import { WebhookAttempt } from './webhook-attempt.entity.js';
import { WebhookEndpoint } from './webhook-endpoint.entity.js';
import { SqlWebhookEndpointStore } from './webhook-endpoint.store.js';
import { WebhookMessage } from './webhook-message.entity.js';
import { webhookPruneRules } from './webhook-retention.js';

/** The delivery log's pruning on the real Postgres, with the broker's migrations and an injected clock. */
const HOUR = 3_600_000;
const now = new Date('2026-12-07T12:00:00Z');
const clock: Clock = { now: () => now, uuid: randomUUID };
const ago = (ms: number) => new Date(now.getTime() - ms);
let db: StoreDatabase;

beforeAll(async () => {
  db = await openStoreDatabase(BROKER_SCHEMA);
});
afterAll(() => db?.close());

async function endpoint(): Promise<string> {
  const row = Object.assign(new WebhookEndpoint(), {
    id: randomUUID(),
    url: 'https://hooks.example.test',
    eventTypes: ['*'],
    description: null,
    enabled: true,
    disabledReason: null,
    failingSince: null,
    secretSealed: 'sealed',
    previousSecretSealed: null,
    previousSecretUntil: null,
    signingKeySealed: null,
    publicKey: null,
    createdAt: now,
    updatedAt: now,
  });
  await db.transactions.run((tx) => new SqlWebhookEndpointStore(db.dataSource).save(tx, row));
  return row.id;
}

/** A message in `state`, created and (if delivered) delivered when given, with one attempt. */
async function message(endpointId: string, state: WebhookMessage['state'], createdAt: Date, deliveredAt: Date | null = null): Promise<string> {
  const eventId = randomUUID();
  const row = Object.assign(new WebhookMessage(), {
    id: randomUUID(),
    endpointId,
    messageId: `msg_${eventId}`,
    eventId,
    eventType: 'auth.token.revoked',
    body: '{}',
    state,
    scheduleStep: 0,
    nextAttemptAt: state === 'pending' ? createdAt : null,
    claimedUntil: null,
    createdAt,
    deliveredAt,
  });
  const attempt = Object.assign(new WebhookAttempt(), {
    id: randomUUID(),
    messageRowId: row.id,
    attemptedAt: createdAt,
    status: state === 'delivered' ? 204 : 500,
    latencyMs: 3,
    response: '',
    error: null,
  });
  await db.transactions.run(async (tx) => {
    await tx.getRepository(WebhookMessage).insert(row);
    await tx.getRepository(WebhookAttempt).insert(attempt);
  });
  return row.id;
}

describe('webhook delivery log retention', () => {
  it('prunes delivered messages past the retention from their delivery, failed ones from their event, with their attempts; never a pending one', async () => {
    const e = await endpoint();
    const oldDelivered = await message(e, 'delivered', ago(30 * HOUR), ago(25 * HOUR));
    const lateDelivered = await message(e, 'delivered', ago(30 * HOUR), ago(HOUR)); // its event is old, its delivery is not
    const oldFailed = await message(e, 'failed', ago(25 * HOUR));
    const recentFailed = await message(e, 'failed', ago(HOUR));
    const oldPending = await message(e, 'pending', ago(100 * HOUR));

    const deleted = await new Pruner(db.dataSource, clock, testLogger(), webhookPruneRules(24 * HOUR), { intervalMs: 0, batchSize: 1 }).runOnce();

    expect(deleted.webhook_message_delivered).toBeGreaterThanOrEqual(1);
    expect(deleted.webhook_message_failed).toBeGreaterThanOrEqual(1);
    const left = await db.database.query<{ id: string }>(`SELECT id FROM broker.webhook_message WHERE endpoint_id = $1`, [e]);
    expect(left.map((r) => r.id).sort()).toEqual([lateDelivered, recentFailed, oldPending].sort());
    const attempts = await db.database.query<{ message_row_id: string }>(`SELECT message_row_id FROM broker.webhook_attempt WHERE message_row_id = ANY($1)`, [
      [oldDelivered, oldFailed, lateDelivered],
    ]);
    expect(attempts.map((a) => a.message_row_id)).toEqual([lateDelivered]);
  });
});
