import { Inject, Injectable } from '@nestjs/common';
import {
  BusError,
  EventsByOwner,
  type ListWebhookMessagesQuery,
  type WebhookMessagePage,
  type WebhookMessageView,
  type WebhookRecoverReply,
} from '@tessera/contracts';
import type { Clock } from '@tessera/observability';
import { AuditTrail, Transactions } from '@tessera/persistence';
import { CLOCK } from '@tessera/runtime';
import { WebhookDispatcher } from './webhook-dispatcher.js';
import { WebhookMessage } from './webhook-message.entity.js';
import { WebhookMessageStore } from './webhook-message.store.js';
import { bodyOf, messageIdOf } from './webhook-intake.js';
import { toMessageView } from './webhook-view.js';
import { WebhooksService } from './webhooks.service.js';

/** A test message's type: not an event any service publishes, so no endpoint receives one it did not ask for. */
const TEST_EVENT_TYPE = EventsByOwner['outbound-token-broker'].webhookDisabled.replace(/disabled$/, 'test');

/** The delivery log of an endpoint and what an admin does with it: read it, retry one, recover a period, send a test. */
@Injectable()
export class WebhookMessagesService {
  constructor(
    private readonly endpoints: WebhooksService,
    private readonly store: WebhookMessageStore,
    private readonly dispatcher: WebhookDispatcher,
    private readonly transactions: Transactions,
    private readonly audit: AuditTrail,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async list(endpointId: string, { limit = 50, state, cursor }: ListWebhookMessagesQuery): Promise<WebhookMessagePage> {
    await this.endpoints.existing(endpointId);
    const before = cursor ? decodeCursor(cursor) : undefined;
    const { items, attempts } = await this.store.page(endpointId, { limit: limit + 1, state, before });
    const page = items.slice(0, limit);
    const last = page.at(-1);
    return {
      items: page.map((m) => toMessageView(m, attempts)),
      nextCursor: items.length > limit && last ? encodeCursor(last) : null,
    };
  }

  /** Sends one message again now, with its original id, starting the retry schedule over. */
  async retry(endpointId: string, messageId: string): Promise<WebhookMessageView> {
    const endpoint = await this.endpoints.existing(endpointId);
    const message = await this.store.findByMessageId(endpointId, messageId);
    if (!message) throw new BusError('not_found', 'This endpoint has no message with that id');
    await this.transactions.run(async (tx) => {
      // One being sent right now is left to that attempt: its outcome would overwrite the retry.
      if (!(await this.store.requeue(tx, endpointId, { messageRowId: message.id }, this.clock.now())))
        throw new BusError('conflict', 'This message is being delivered right now; retry it once that attempt has finished');
      await this.audit.record(tx, { action: 'webhook.message.retry', target: { type: 'webhook', id: endpoint.id, name: endpoint.url }, detail: { messageId } });
    });
    this.dispatcher.wake();
    return this.view(endpointId, messageId);
  }

  /** Every message that failed since `since` is sent again, with its original id (after an outage longer than the retries). */
  async recover(endpointId: string, since: string): Promise<WebhookRecoverReply> {
    const endpoint = await this.endpoints.existing(endpointId);
    const requeued = await this.transactions.run(async (tx) => {
      const count = await this.store.requeue(tx, endpointId, { failedSince: new Date(since) }, this.clock.now());
      await this.audit.record(tx, {
        action: 'webhook.recover',
        target: { type: 'webhook', id: endpoint.id, name: endpoint.url },
        detail: { since, requeued: count },
      });
      return count;
    });
    this.dispatcher.wake();
    return { requeued };
  }

  /** A `broker.webhook.test` message to this endpoint alone, delivered (and logged) like any other. */
  async test(endpointId: string): Promise<WebhookMessageView> {
    const endpoint = await this.endpoints.existing(endpointId);
    const now = this.clock.now();
    const eventId = this.clock.uuid();
    const message = Object.assign(new WebhookMessage(), {
      id: this.clock.uuid(),
      endpointId,
      messageId: messageIdOf(eventId),
      eventId,
      eventType: TEST_EVENT_TYPE,
      body: bodyOf({ id: eventId, type: TEST_EVENT_TYPE, occurredAt: now.toISOString(), data: { webhookId: endpointId, test: true } }),
      state: 'pending',
      scheduleStep: 0,
      nextAttemptAt: now,
      claimedUntil: null,
      createdAt: now,
      deliveredAt: null,
    } satisfies WebhookMessage);
    await this.transactions.run(async (tx) => {
      await this.store.insert(tx, [message]);
      await this.audit.record(tx, { action: 'webhook.test', target: { type: 'webhook', id: endpoint.id, name: endpoint.url } });
    });
    this.dispatcher.wake();
    return toMessageView(message, []);
  }

  private async view(endpointId: string, messageId: string): Promise<WebhookMessageView> {
    const message = await this.store.findByMessageId(endpointId, messageId);
    return toMessageView(message!, []);
  }
}

function encodeCursor(message: WebhookMessage): string {
  return Buffer.from(JSON.stringify([new Date(message.createdAt).toISOString(), message.id])).toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string];
    if (typeof id === 'string' && /^[0-9a-f-]{36}$/i.test(id) && !Number.isNaN(Date.parse(createdAt))) return { createdAt: new Date(createdAt), id };
  } catch {
    /* answered below */
  }
  throw new BusError('validation_failed', 'The request has invalid fields', { cursor: ['cursor is not one this list gave'] });
}
