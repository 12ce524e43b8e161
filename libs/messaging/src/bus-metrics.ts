import type { BusReply, EventEnvelope } from '@tessera/contracts';
import { FAST_BUCKETS, type CounterFamily, type HistogramChild, type HistogramFamily, type Metrics } from '@tessera/observability';
import {
  BusUnavailableError,
  type Bus,
  type ConsumerBacklog,
  type DurableConsumerOptions,
  type EventHandler,
  type LiveFeed,
  type MessageHeaders,
  type RequestHandler,
  type RequestOptions,
  type StoredEventPage,
  type WatchOptions,
} from './bus.js';

/**
 * A Bus that measures the requests made through it: latency by subject (unprefixed, so one series per subject of
 * the contracts whatever the platform's prefix), and failures by reason; plus, at scrape time, the feeds' lag and
 * the durable consumers' backlog. Everything else passes straight through.
 */
export class MeasuredBus implements Bus {
  private readonly latency: HistogramFamily<'subject'>;
  private readonly failures: CounterFamily<'subject' | 'reason'>;
  private readonly deadLetters: CounterFamily<'consumer' | 'reason'>;
  /** Label children bound once per subject: the hot path does one map lookup, no label hashing. */
  private readonly bySubject = new Map<string, HistogramChild>();
  private readonly stopSampling: (() => void)[];

  constructor(
    private readonly bus: Bus,
    metrics: Metrics,
  ) {
    this.latency = metrics.histogram({
      name: 'tessera_bus_request_duration_seconds',
      help: 'Bus request to reply, by subject (answered requests only)',
      labelNames: ['subject'],
      buckets: FAST_BUCKETS,
    });
    this.failures = metrics.counter({
      name: 'tessera_bus_request_failures_total',
      help: 'Bus requests that got no reply: timeout, no_responders (nothing serves the subject) or disconnected',
      labelNames: ['subject', 'reason'],
    });
    this.deadLetters = metrics.counter({
      name: 'tessera_bus_dead_letters_total',
      help: 'Events a durable consumer set aside and will not process: malformed, rejected by its handler, or failed too often',
      labelNames: ['consumer', 'reason'],
    });
    this.stopSampling = [
      metrics.sampledGauge(
        {
          name: 'tessera_feed_lag_events',
          help: "Events stored on the bus but not yet handed to this live feed (e.g. a verifier's revocations)",
          labelNames: ['feed'],
        },
        (sample) => {
          for (const feed of this.bus.feeds()) sample({ feed: feed.name }, feed.pending ?? 0);
        },
      ),
      metrics.sampledGauge(
        { name: 'tessera_consumer_pending_events', help: 'Events a durable consumer has not been delivered yet', labelNames: ['consumer'] },
        async (sample) => {
          for (const backlog of await this.consumerBacklogs()) sample({ consumer: backlog.consumer }, backlog.pending);
        },
      ),
      metrics.sampledGauge(
        { name: 'tessera_consumer_ack_pending_events', help: 'Events delivered to a durable consumer and not acknowledged yet', labelNames: ['consumer'] },
        async (sample) => {
          for (const backlog of await this.consumerBacklogs()) sample({ consumer: backlog.consumer }, backlog.ackPending);
        },
      ),
    ];
  }

  get kind() {
    return this.bus.kind;
  }

  /** The wrapped bus, for what only one implementation offers (tests deleting their stream). */
  get inner(): Bus {
    return this.bus;
  }

  async request(subject: string, data: unknown, options: RequestOptions): Promise<BusReply> {
    const started = performance.now();
    try {
      const reply = await this.bus.request(subject, data, options);
      let child = this.bySubject.get(subject);
      if (!child) this.bySubject.set(subject, (child = this.latency.labels(subject)));
      child.observe((performance.now() - started) / 1000);
      return reply;
    } catch (error) {
      if (error instanceof BusUnavailableError) this.failures.labels(subject, error.reason).inc();
      throw error;
    }
  }

  private backlogs?: { at: number; read: Promise<ConsumerBacklog[]> };

  /** Asked once per scrape for both gauges (each asks the server about every consumer). */
  private consumerBacklogs(): Promise<ConsumerBacklog[]> {
    const bus = this.bus as Bus & { consumerBacklogs?: () => Promise<ConsumerBacklog[]> };
    if (!bus.consumerBacklogs) return Promise.resolve([]);
    if (!this.backlogs || performance.now() - this.backlogs.at > 1_000) this.backlogs = { at: performance.now(), read: bus.consumerBacklogs() };
    return this.backlogs.read;
  }

  connect(): Promise<void> {
    return this.bus.connect();
  }
  isConnected(): boolean {
    return this.bus.isConnected();
  }
  serve(subject: string, queueGroup: string, handler: RequestHandler) {
    return this.bus.serve(subject, queueGroup, handler);
  }
  publish(event: EventEnvelope, headers?: MessageHeaders): Promise<number | undefined> {
    return this.bus.publish(event, headers);
  }
  notify(event: EventEnvelope, headers?: MessageHeaders): void {
    this.bus.notify(event, headers);
  }
  consume(options: DurableConsumerOptions, handler: EventHandler) {
    return this.bus.consume(
      {
        ...options,
        onDeadLetter: async (letter) => {
          this.deadLetters.labels(letter.consumer, letter.reason).inc();
          await options.onDeadLetter?.(letter);
        },
      },
      handler,
    );
  }
  watch(subjects: string[], replayMs: number, handler: EventHandler, options?: WatchOptions): Promise<LiveFeed> {
    return this.bus.watch(subjects, replayMs, handler, options);
  }

  history(subject: string, afterSequence: number, limit: number): Promise<StoredEventPage> {
    return this.bus.history(subject, afterSequence, limit);
  }
  listen(subject: string, handler: EventHandler) {
    return this.bus.listen(subject, handler);
  }
  replayCache(name: string, maxAgeMs: number) {
    return this.bus.replayCache(name, maxAgeMs);
  }

  feeds() {
    return this.bus.feeds();
  }
  flush(): Promise<void> {
    return this.bus.flush();
  }

  async close(): Promise<void> {
    for (const stop of this.stopSampling) stop();
    await this.bus.close();
  }
}

/** The bus, measured when metrics are on; the bus itself (no wrapper, no cost) when they are off. */
export function measuredBus(bus: Bus, metrics: Metrics): Bus {
  return metrics.enabled ? new MeasuredBus(bus, metrics) : bus;
}
