import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { EVENT_SUBJECTS, NOTICE_SUBJECTS, type EventEnvelope } from '@tessera/contracts';
import type { Bus, Stoppable } from '@tessera/messaging';
import type { Clock } from '@tessera/observability';
import { Transactions } from '@tessera/persistence';
import { BUS, CLOCK } from '@tessera/runtime';
import { wantsEvent } from './event-types.js';
import { WebhookDispatcher } from './webhook-dispatcher.js';
import { WebhookEndpointCache } from './webhook-endpoint-cache.js';
import { WebhookMessage } from './webhook-message.entity.js';
import { WebhookMessageStore } from './webhook-message.store.js';

/** The broker's durable consumer name; with EVENT_SUBJECTS it is `outbound-token-broker__tessera_events__` (bus permissions). */
const DURABLE = 'outbound-token-broker';

/** The `webhook-id` of an event's message: the same for every endpoint, every attempt and every replay of that event. */
export function messageIdOf(eventId: string): string {
  return `msg_${eventId}`;
}

/** The body every attempt sends: the event envelope as it travels on the bus (no secret is ever in an event). */
export function bodyOf(event: EventEnvelope): string {
  return JSON.stringify({ id: event.id, type: event.type, occurredAt: event.occurredAt, data: event.data });
}

/**
 * Takes every owner's events from JetStream with a durable consumer and turns each into a message per endpoint that
 * wants it, in the database, before the event is acknowledged: at least once, and a restart loses nothing. Redelivered
 * events find their messages already there (one per endpoint and id).
 */
@Injectable()
export class WebhookIntake implements OnApplicationBootstrap, OnApplicationShutdown {
  private consumer?: Stoppable;

  constructor(
    @Inject(BUS) private readonly bus: Bus,
    private readonly cache: WebhookEndpointCache,
    private readonly messages: WebhookMessageStore,
    private readonly transactions: Transactions,
    private readonly dispatcher: WebhookDispatcher,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.bus.connect();
    // The changes and, from their own short-lived stream, the notifications (token.issued; ADR 0038).
    this.consumer = await this.bus.consume({ durable: DURABLE, subjects: [EVENT_SUBJECTS, ...NOTICE_SUBJECTS] }, (event) => this.take(event));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.consumer?.stop();
  }

  async take(event: EventEnvelope): Promise<void> {
    const endpoints = (await this.cache.enabled()).filter((endpoint) => wantsEvent(endpoint.eventTypes, event.type));
    if (!endpoints.length) return;
    const now = this.clock.now();
    const body = bodyOf(event);
    const messages = endpoints.map((endpoint) =>
      Object.assign(new WebhookMessage(), {
        id: this.clock.uuid(),
        endpointId: endpoint.id,
        messageId: messageIdOf(event.id),
        eventId: event.id,
        eventType: event.type,
        body,
        state: 'pending',
        scheduleStep: 0,
        nextAttemptAt: now,
        claimedUntil: null,
        createdAt: now,
        deliveredAt: null,
      } satisfies WebhookMessage),
    );
    await this.transactions.run((tx) => this.messages.insert(tx, messages));
    this.dispatcher.wake();
  }
}
