import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Clock, Logger } from '@tessera/observability';
import { DatabaseAvailability } from '@tessera/persistence';
import { CLOCK, LOGGER, RUNTIME, type ServiceRuntime } from '@tessera/runtime';
import { judgeAttempt } from './delivery-outcome.js';
import { webhookSignature } from './signing.js';
import { WebhookAttemptWriter } from './webhook-attempt-writer.js';
import { WebhookAttempt } from './webhook-attempt.entity.js';
import { WebhookEndpointCache } from './webhook-endpoint-cache.js';
import type { WebhookEndpoint } from './webhook-endpoint.entity.js';
import { WebhookEndpointStore } from './webhook-endpoint.store.js';
import type { WebhookMessage } from './webhook-message.entity.js';
import { WebhookMessageStore, type AttemptRecord } from './webhook-message.store.js';
import { WebhookMetrics } from './webhook-metrics.js';
import { ATTEMPT_TIMEOUT_MS, WebhookSender, type SentAttempt } from './webhook-sender.js';
import { WebhookSigningKeys } from './webhook-signing-keys.js';

/** Requests in flight at once in one broker replica. */
const CONCURRENCY = 256;
/**
 * Requests in flight at once to one endpoint (per replica): a healthy endpoint answering in 50 ms takes 300 messages
 * a second; a hanging endpoint holds at most this many slots, never the others', and its own backlog waits in the
 * database rather than in front of anyone else's.
 */
const PER_ENDPOINT = 16;
/**
 * An endpoint in a failing streak gets this many: retries go on, and dozens of dead endpoints hanging for 15 s each
 * still leave the replica's slots to the endpoints that answer.
 */
const PER_FAILING_ENDPOINT = 2;
/**
 * Attempts answered and not yet recorded, at most: the slot is freed as soon as the endpoint answers (the message's
 * lease keeps it from being claimed again until its record is committed), and this bounds what waits for a slow database.
 */
const UNRECORDED = 4 * CONCURRENCY;
/** Longer than an attempt can last, so a claim is never taken over while its attempt still runs. */
const LEASE_MS = ATTEMPT_TIMEOUT_MS + 15_000;
/** How often it looks for due messages when nothing woke it (another replica's intake, a retry coming due). */
const POLL_MS = 1_000;
/**
 * Slots freed within this long are filled by one claim: each claim ranks the due messages, so one per finished
 * attempt would cost more than the attempts themselves under load.
 */
const COALESCE_MS = 10;

/**
 * Delivers webhook messages from the database (so a restart loses nothing): claims due ones under a lease, signs and
 * POSTs each, records the attempt (in batches: WebhookAttemptWriter), and schedules the next one or gives up. Woken
 * at once by the intake.
 */
@Injectable()
export class WebhookDispatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private timerAt = 0;
  private claiming?: Promise<void>;
  private wakeAgain = false;
  private readonly inFlight = new Map<string, number>();
  private readonly running = new Set<Promise<void>>();
  private stopped = false;
  private readonly scheduleMs: number[];

  constructor(
    private readonly messages: WebhookMessageStore,
    private readonly endpoints: WebhookEndpointStore,
    private readonly cache: WebhookEndpointCache,
    private readonly sender: WebhookSender,
    private readonly keys: WebhookSigningKeys,
    private readonly writer: WebhookAttemptWriter,
    private readonly metrics: WebhookMetrics,
    private readonly availability: DatabaseAvailability,
    @Inject(RUNTIME) runtime: ServiceRuntime,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.scheduleMs = runtime.config.webhooks.retryScheduleMs;
  }

  onApplicationBootstrap(): void {
    this.wake(0);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.claiming;
    await Promise.allSettled([...this.running]);
  }

  /** Something is due (an event taken, a retry asked for, a slot freed): looks then, unless it already means to sooner. */
  wake(delayMs = 0): void {
    if (this.stopped) return;
    if (this.claiming) {
      if (delayMs <= COALESCE_MS) this.wakeAgain = true;
      else this.later(delayMs);
      return;
    }
    this.later(delayMs);
  }

  private later(delayMs: number): void {
    const at = Date.now() + delayMs;
    if (this.timer && this.timerAt <= at) return;
    clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.fill();
    }, delayMs);
    this.timer.unref();
  }

  private get busy(): number {
    let total = 0;
    for (const n of this.inFlight.values()) total += n;
    return total;
  }

  private fill(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.claiming) {
      // Woken while claiming: look again right after, or this wake is lost until the next poll.
      this.wakeAgain = true;
      return this.claiming;
    }
    this.claiming = (async () => {
      let next = POLL_MS;
      try {
        this.wakeAgain = false;
        const free = Math.min(CONCURRENCY - this.busy, UNRECORDED - this.running.size);
        if (free > 0) {
          const claimed = await this.messages.claimDue({
            now: this.clock.now(),
            limit: free,
            perEndpoint: PER_ENDPOINT,
            busy: await this.slotsTaken(),
            leaseMs: LEASE_MS,
          });
          for (const message of claimed) this.start(message);
          if (claimed.length === free) next = COALESCE_MS;
          else if (claimed.length) next = -POLL_MS;
        }
        // Only when nothing was due: when the soonest retry is (finished attempts wake it for the rest).
        if (next < 0) next = POLL_MS;
        else if (next === POLL_MS) {
          const due = await this.messages.nextDue();
          if (due) next = Math.max(0, Math.min(next, due.getTime() - this.clock.now().getTime()));
        }
      } catch (err) {
        if (!this.availability.noteFailure(err)) this.logger.warn({ err }, 'claiming due webhook messages failed; retrying');
      } finally {
        this.claiming = undefined;
      }
      this.wake(this.wakeAgain ? COALESCE_MS : next);
    })();
    return this.claiming;
  }

  /** Slots each endpoint has taken, counting the ones a failing endpoint is not given as taken. */
  private async slotsTaken(): Promise<Map<string, number>> {
    const taken = new Map(this.inFlight);
    for (const endpoint of await this.cache.enabled()) {
      if (endpoint.failingSince) taken.set(endpoint.id, (taken.get(endpoint.id) ?? 0) + PER_ENDPOINT - PER_FAILING_ENDPOINT);
    }
    return taken;
  }

  private start(message: WebhookMessage): void {
    this.inFlight.set(message.endpointId, (this.inFlight.get(message.endpointId) ?? 0) + 1);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      const left = (this.inFlight.get(message.endpointId) ?? 1) - 1;
      if (left > 0) this.inFlight.set(message.endpointId, left);
      else this.inFlight.delete(message.endpointId);
      // A slot is free: this endpoint may have more waiting (freed slots are filled together).
      this.wake(COALESCE_MS);
    };
    const run = this.deliver(message, release)
      .catch((err) => {
        if (!this.availability.noteFailure(err)) this.logger.warn({ err, messageId: message.messageId }, 'a webhook attempt could not be recorded');
      })
      .finally(() => {
        release();
        this.running.delete(run);
        // Recorded: below the bound of unrecorded attempts again, if it was at it.
        this.wake(COALESCE_MS);
      });
    this.running.add(run);
  }

  private async endpointOf(message: WebhookMessage): Promise<WebhookEndpoint | undefined> {
    return (await this.cache.enabled()).find((e) => e.id === message.endpointId) ?? (await this.endpoints.get(message.endpointId)) ?? undefined;
  }

  /** Sends, frees the endpoint's slot once it answered (`release`), then records. */
  private async deliver(message: WebhookMessage, release: () => void): Promise<void> {
    const endpoint = await this.endpointOf(message);
    if (!endpoint?.enabled) return; // its lease lapses; it waits until the endpoint is enabled again
    const attemptedAt = this.clock.now();
    const timestamp = Math.floor(attemptedAt.getTime() / 1000);
    const headers = {
      'webhook-id': message.messageId,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': webhookSignature(message.messageId, timestamp, message.body, this.keys.of(endpoint, attemptedAt)),
    };
    const sent = await this.sender.send(endpoint.url, headers, message.body);
    release();
    await this.record(message, endpoint, sent, attemptedAt);
  }

  private async record(message: WebhookMessage, endpoint: WebhookEndpoint, sent: SentAttempt, attemptedAt: Date): Promise<void> {
    const now = this.clock.now();
    const verdict = judgeAttempt(sent, message.scheduleStep, this.scheduleMs, now);
    const attempt = Object.assign(new WebhookAttempt(), {
      id: this.clock.uuid(),
      messageRowId: message.id,
      attemptedAt,
      status: sent.status,
      latencyMs: sent.latencyMs,
      response: sent.response,
      error: sent.error,
    });
    const record: AttemptRecord =
      verdict.kind === 'delivered'
        ? { attempt, state: 'delivered', scheduleStep: message.scheduleStep, nextAttemptAt: null, deliveredAt: now }
        : verdict.kind === 'retry'
          ? { attempt, state: 'pending', scheduleStep: message.scheduleStep + 1, nextAttemptAt: new Date(now.getTime() + verdict.delayMs), deliveredAt: null }
          : { attempt, state: 'failed', scheduleStep: message.scheduleStep, nextAttemptAt: null, deliveredAt: null };
    this.metrics.attempted(endpoint.id, verdict.kind === 'delivered' ? 'delivered' : 'failed');
    if (verdict.kind === 'delivered') this.metrics.delivered((now.getTime() - new Date(message.createdAt).getTime()) / 1000);
    await this.writer.record({ endpoint, record, gone: verdict.kind === 'gone', now });
    if (verdict.kind === 'retry') this.wake(Math.max(0, verdict.delayMs));
  }
}
