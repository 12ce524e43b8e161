import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { EVENT_SUBJECTS, NOTICE_SUBJECTS, type EventEnvelope } from '@tessera/contracts';
import type { Bus, Stoppable } from '@tessera/messaging';
import type { Clock, Logger } from '@tessera/observability';
import { Transactions } from '@tessera/persistence';
import { BUS, CLOCK, LOGGER } from '@tessera/runtime';
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

/** How often a replica looks again whether an endpoint wants the notifications (a change made here is seen at once). */
const NOTICE_CHECK_MS = 2_000;

/**
 * Takes every owner's events from JetStream with a durable consumer and turns each into a message per endpoint that
 * wants it, in the database, before the event is acknowledged: at least once, and a restart loses nothing. Redelivered
 * events find their messages already there (one per endpoint and id).
 *
 * The notifications (`token.issued`, one per token) are taken only while an enabled endpoint wants them (ADR 0036):
 * taking each to find that nobody wants it cost the broker and nats-server more per token than the rest of the
 * intake. Their consumer is transient: made at the stream's end when the first endpoint wants them, removed by the
 * server a minute after the last replica stopped taking.
 */
@Injectable()
export class WebhookIntake implements OnApplicationBootstrap, OnApplicationShutdown {
  private consumer?: Stoppable;
  private notices?: Stoppable;
  /** The check under way, so two never overlap (a change seen while one runs is looked at again after it). */
  private checking?: Promise<void>;
  private checkAgain = false;
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private failing = false;

  constructor(
    @Inject(BUS) private readonly bus: Bus,
    private readonly cache: WebhookEndpointCache,
    private readonly messages: WebhookMessageStore,
    private readonly transactions: Transactions,
    private readonly dispatcher: WebhookDispatcher,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.bus.connect();
    // The changes; the notifications come from their own short-lived stream (ADR 0038), and only while wanted.
    this.consumer = await this.bus.consume({ durable: DURABLE, subjects: [EVENT_SUBJECTS] }, (event) => this.take(event));
    this.cache.onChange(() => void this.checkNotices());
    await this.checkNotices();
    this.timer = setInterval(() => void this.checkNotices(), NOTICE_CHECK_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.checking;
    await Promise.all([this.consumer?.stop(), this.notices?.stop()]);
  }

  /** Starts or stops taking the notifications as endpoints come to want them or stop wanting them. */
  checkNotices(): Promise<void> {
    if (this.checking) {
      this.checkAgain = true;
      return this.checking;
    }
    this.checking = (async () => {
      do {
        this.checkAgain = false;
        await this.followNotices().then(
          () => (this.failing = false),
          (err: unknown) => {
            // Once per outage: the check runs every 2 s and would otherwise log as often.
            if (!this.failing) this.logger.warn({ error: String((err as Error)?.message ?? err) }, 'could not start or stop taking notifications; will retry');
            this.failing = true;
          },
        );
      } while (this.checkAgain && !this.stopped);
    })().finally(() => (this.checking = undefined));
    return this.checking;
  }

  private async followNotices(): Promise<void> {
    if (this.stopped) return;
    const endpoints = await this.cache.enabled();
    const wanted = endpoints.some((endpoint) => NOTICE_SUBJECTS.some((subject) => wantsEvent(endpoint.eventTypes, subject)));
    if (wanted && !this.notices) {
      this.notices = await this.bus.consume({ durable: DURABLE, subjects: [...NOTICE_SUBJECTS], transient: true }, (event) => this.take(event));
    } else if (!wanted && this.notices) {
      const notices = this.notices;
      this.notices = undefined;
      await notices.stop();
    }
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
