import { MemoryReplayCache, type ReplayCache } from './replay-cache.js';
import type { BusReply, DeadLetterReason, EventEnvelope } from '@tessera/contracts';
import type { Logger } from '@tessera/observability';
import {
  BusUnavailableError,
  subjectMatches,
  type Bus,
  type DurableConsumerOptions,
  type EventHandler,
  type FeedStatus,
  type LiveFeed,
  type MessageHeaders,
  type RequestHandler,
  type RequestOptions,
  type Stoppable,
  type StoredEventPage,
  type WatchOptions,
  SEQUENCE_HEADER,
} from './bus.js';
import { envelopeProblem, judgeFailure, payloadHead, type DeadLetter } from './consumer-policy.js';

interface Responder {
  queueGroup: string;
  handler: RequestHandler;
}
/** How long the in-process bus remembers events for watchers that ask for a replay. */
const HISTORY_MS = 86_400_000;

interface StoredEvent {
  event: EventEnvelope;
  headers: MessageHeaders;
}
interface DurableConsumer {
  options: DurableConsumerOptions;
  handler?: EventHandler;
  backlog: StoredEvent[];
  running: boolean;
}

/**
 * The embedded mode's bus: the same subjects, envelopes and semantics as NATS, inside one process.
 * Messages are serialised to JSON on the way through so a handler never shares objects with its caller,
 * exactly as over the network. Durable consumers keep their backlog while they are stopped (within this process).
 */
export class InProcessBus implements Bus {
  readonly kind = 'in-process' as const;
  private readonly responders = new Map<string, Responder[]>();
  private readonly roundRobin = new Map<string, number>();
  private readonly consumers = new Map<string, DurableConsumer>();
  private readonly published = new Set<string>();
  private readonly remembered: { at: number; sequence: number; stored: StoredEvent }[] = [];
  /** Numbers events as a stream does, so feeds resume and pages continue after one. */
  private sequence = 0;
  private readonly watchers = new Set<{ subjects: string[]; handler: EventHandler }>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly replayCaches = new Map<string, ReplayCache>();
  private connected = false;
  private closing = false;

  constructor(private readonly logger: Logger) {}

  async connect(): Promise<void> {
    this.connected = true;
  }

  isConnected(): boolean {
    return this.connected && !this.closing;
  }

  async request(subject: string, data: unknown, options: RequestOptions): Promise<BusReply> {
    if (!this.isConnected()) throw new BusUnavailableError(subject, 'disconnected');
    const responders = this.responders.get(subject);
    if (!responders?.length) throw new BusUnavailableError(subject, 'no_responders');
    const turn = (this.roundRobin.get(subject) ?? 0) % responders.length;
    this.roundRobin.set(subject, turn + 1);
    const payload = JSON.parse(JSON.stringify(data ?? null));
    const work = this.track(responders[turn].handler({ subject, data: payload, headers: { ...options.headers } }));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new BusUnavailableError(subject, 'timeout')), options.timeoutMs);
    });
    try {
      return JSON.parse(JSON.stringify(await Promise.race([work, timeout])));
    } finally {
      clearTimeout(timer);
    }
  }

  serve(subject: string, queueGroup: string, handler: RequestHandler): Stoppable {
    const responder = { queueGroup, handler };
    this.responders.set(subject, [...(this.responders.get(subject) ?? []), responder]);
    return {
      stop: async () => {
        this.responders.set(
          subject,
          (this.responders.get(subject) ?? []).filter((r) => r !== responder),
        );
      },
    };
  }

  async publish(event: EventEnvelope, headers: MessageHeaders = {}): Promise<undefined> {
    if (!this.isConnected()) throw new BusUnavailableError(event.type, 'disconnected');
    if (this.published.has(event.id)) return undefined; // same de-duplication by id as JetStream's msgID
    this.published.add(event.id);
    const sequence = ++this.sequence;
    const stored = { event: JSON.parse(JSON.stringify(event)), headers: { ...headers, [SEQUENCE_HEADER]: String(sequence) } };
    this.remembered.push({ at: Date.now(), sequence, stored });
    while (this.remembered.length > 10_000 || (this.remembered.length && this.remembered[0].at < Date.now() - HISTORY_MS)) this.remembered.shift();
    for (const watcher of this.watchers) {
      if (watcher.subjects.some((filter) => subjectMatches(filter, event.type))) this.deliverToWatcher(watcher.handler, stored);
    }
    for (const consumer of this.consumers.values()) {
      if (consumer.options.subjects.some((filter) => subjectMatches(filter, event.type))) {
        consumer.backlog.push(stored);
        this.pump(consumer);
      }
    }
  }

  notify(event: EventEnvelope, headers: MessageHeaders = {}): void {
    this.publish(event, headers).catch((err) => this.logger.warn({ err, type: event.type }, 'could not publish a notification'));
  }

  async consume(options: DurableConsumerOptions, handler: EventHandler): Promise<Stoppable> {
    // One durable name may consume several filters (as on NATS, where each is its own consumer `<durable>__<subject>`).
    const key = `${options.durable}:${options.subjects.join(',')}`;
    const consumer = this.consumers.get(key) ?? { options, backlog: [], running: false };
    consumer.options = options;
    consumer.handler = handler;
    this.consumers.set(key, consumer);
    this.pump(consumer);
    return {
      stop: async () => {
        consumer.handler = undefined;
        // In one process nothing else takes from it: a transient consumer goes at once, with its backlog.
        if (options.transient) this.consumers.delete(key);
      },
    };
  }

  /** In one process a watch is as immediate as it gets: the same delivery, without the replay. */
  listen(subject: string, handler: EventHandler): Stoppable {
    const watcher = { subjects: [subject], handler };
    this.watchers.add(watcher);
    return { stop: async () => void this.watchers.delete(watcher) };
  }

  async watch(subjects: string[], replayMs: number, handler: EventHandler, options: WatchOptions = {}): Promise<LiveFeed> {
    const watcher = { subjects, handler };
    const since = Date.now() - replayMs;
    const after = options.afterSequence;
    for (const { at, sequence, stored } of this.remembered) {
      const wanted = after === undefined ? at >= since : sequence > after;
      if (wanted && subjects.some((filter) => subjectMatches(filter, stored.event.type))) this.deliverToWatcher(handler, stored);
    }
    this.watchers.add(watcher);
    // In one process nothing can fall behind or drop: a feed is live for as long as the bus is.
    return {
      name: 'in-process-watch',
      isLive: () => this.watchers.has(watcher) && this.isConnected(),
      status: () => ({ state: this.watchers.has(watcher) && this.isConnected() ? 'live' : 'down', lastSequence: 0 }),
      stop: async () => void this.watchers.delete(watcher),
    };
  }

  /** The events this process still remembers (a day, at most 10,000). */
  async history(subject: string, afterSequence: number, limit: number): Promise<StoredEventPage> {
    const matching = this.remembered.filter((h) => h.sequence > afterSequence && subjectMatches(subject, h.stored.event.type));
    const page = matching.slice(0, limit);
    return {
      events: page.map((h) => ({ sequence: h.sequence, event: JSON.parse(JSON.stringify(h.stored.event)) })),
      lastSequence: page.at(-1)?.sequence ?? afterSequence,
      more: matching.length > limit,
    };
  }

  replayCache(name: string, maxAgeMs: number): ReplayCache {
    let cache = this.replayCaches.get(name);
    if (!cache) this.replayCaches.set(name, (cache = new MemoryReplayCache(maxAgeMs)));
    return cache;
  }

  feeds(): FeedStatus[] {
    return [...this.watchers].map((w) => ({
      name: 'in-process-watch',
      subject: w.subjects.join(','),
      state: this.isConnected() ? 'live' : 'down',
      lastSequence: 0,
    }));
  }

  private deliverToWatcher(handler: EventHandler, stored: StoredEvent): void {
    // As on NATS: a live handler never sees an event that does not fit its kind.
    const problem = envelopeProblem(stored.event, stored.event?.type);
    if (problem) return void this.logger.warn({ type: stored.event?.type, problem }, 'live feed dropping a malformed event');
    this.track(handler(stored.event, stored.headers).catch((err) => this.logger.warn({ err, type: stored.event.type }, 'watch handler failed')));
  }

  private pump(consumer: DurableConsumer): void {
    if (consumer.running || !consumer.handler) return;
    consumer.running = true;
    const run = async () => {
      let failures = 0;
      while (consumer.handler && consumer.backlog.length && !this.closing) {
        const next = consumer.backlog[0];
        // The same rules as on NATS: the envelope first, then a bounded number of tries.
        const problem = envelopeProblem(next.event, next.event?.type);
        if (problem) {
          await this.setAside(consumer, next, failures, 'malformed', problem);
          continue;
        }
        try {
          await consumer.handler(next.event, next.headers);
          consumer.backlog.shift();
          failures = 0;
        } catch (err) {
          failures++;
          const verdict = judgeFailure(err, failures);
          if (verdict.kind === 'dead') {
            await this.setAside(consumer, next, failures, verdict.reason, verdict.detail);
            failures = 0;
            continue;
          }
          const delay = Math.min(30_000, 100 * 2 ** Math.min(failures, 8));
          if (verdict.quiet)
            this.logger.debug(
              { eventId: next.event.id, type: next.event.type, delay, error: String((err as Error)?.message ?? err) },
              'event handler failed again; will redeliver',
            );
          else this.logger.warn({ err, eventId: next.event.id, type: next.event.type, delay }, 'event handler failed; will redeliver');
          await new Promise((resolve) => setTimeout(resolve, delay).unref());
        }
      }
      consumer.running = false;
    };
    this.track(run());
  }

  private async setAside(consumer: DurableConsumer, stored: StoredEvent, deliveries: number, reason: DeadLetterReason, detail: string): Promise<void> {
    consumer.backlog.shift();
    const id = (stored.event as { id?: unknown } | null)?.id;
    const letter: DeadLetter = {
      consumer: consumer.options.durable,
      subject: String(stored.event?.type ?? ''),
      eventId: typeof id === 'string' ? id.slice(0, 100) : null,
      reason,
      detail,
      deliveries: Math.max(1, deliveries),
      payload: payloadHead(JSON.stringify(stored.event)),
    };
    this.logger.warn(
      { consumer: letter.consumer, subject: letter.subject, eventId: letter.eventId, reason, detail, deliveries: letter.deliveries },
      'event set aside (dead letter)',
    );
    await consumer.options
      .onDeadLetter?.(letter)
      .catch((err: unknown) =>
        this.logger.error(
          { consumer: letter.consumer, eventId: letter.eventId, error: String((err as Error)?.message ?? err) },
          'could not record a dead letter',
        ),
      );
  }

  private track<T>(promise: Promise<T>): Promise<T> {
    this.inFlight.add(promise);
    void promise.finally(() => this.inFlight.delete(promise)).catch(() => undefined);
    return promise;
  }

  /** Subscriptions are in force as soon as `serve` returns. */
  async flush(): Promise<void> {}

  async close(): Promise<void> {
    this.closing = true;
    await Promise.allSettled([...this.inFlight]);
    this.connected = false;
  }
}
