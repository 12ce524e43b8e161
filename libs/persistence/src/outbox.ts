import type { EventEnvelope } from '@tessera/contracts';
import { contextHeaders, traceHeaders, type Clock, type Logger } from '@tessera/observability';
import { In, type DataSource, type EntityManager } from 'typeorm';
import { OutboxEvent } from './messaging-tables.js';
import type { DatabaseAvailability } from './database-availability.js';

/**
 * What an event keeps of the request that caused it: its id, and (tracing on) its trace context, so the event's
 * publication, relayed later by whoever flushes, continues that request's trace.
 */
/** What an event carries of the request that caused it: its id, actor and address (ADR 0023) and its trace context. */
function causeHeaders(): Record<string, string> {
  return { ...contextHeaders(), ...traceHeaders() };
}

/**
 * Where the relay hands committed events: all the outbox needs of a bus (the messaging library's `Bus` is one), so
 * the database side does not depend on the messaging one. Resolves once the event is stored (the publish ack).
 */
export interface EventPublisher {
  publish(event: EventEnvelope, headers?: Record<string, string>): Promise<number | undefined | void>;
  /** Sends without waiting for the stream (the bus's `notify`), for the immediate events' early copy. */
  notify?(event: EventEnvelope, headers?: Record<string, string>): void;
}

/** The header under which JetStream de-duplicates: the early copy and the relayed event are stored once. */
const MESSAGE_ID_HEADER = 'Nats-Msg-Id';

/** Writes events with the change that caused them and relays them to the bus after commit. */
export class EventOutbox {
  private timer?: NodeJS.Timeout;
  private flushing?: Promise<void>;
  private again = false;
  private stopped = false;
  /** Immediate events already sent over plain NATS by this process. */
  private readonly announced = new Set<string>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly publisher: EventPublisher,
    private readonly clock: Clock,
    private readonly logger: Logger,
    /** A database outage is reported there once, not by a warning per retry. */
    private readonly availability?: DatabaseAvailability,
    /** Event types sent at once over plain NATS too, before the stream acknowledges them (IMMEDIATE_EVENTS). */
    private readonly immediate: readonly string[] = [],
  ) {}

  /** Records an event inside the caller's transaction. Call `flush()` after the transaction commits. */
  async record<T>(manager: EntityManager, type: string, data: T): Promise<EventEnvelope<T>> {
    const envelope: EventEnvelope<T> = { id: this.clock.uuid(), type, occurredAt: this.clock.now().toISOString(), data };
    // The request's id, actor and address go with the event: every event says who caused it (ADR 0023).
    await manager.insert(OutboxEvent, {
      id: envelope.id,
      type,
      data: data as object,
      headers: causeHeaders(),
      occurredAt: new Date(envelope.occurredAt),
      publishedAt: null,
    });
    return envelope;
  }

  /** Records several events inside the caller's transaction in one INSERT (a batch of results costs one round trip). */
  async recordMany(manager: EntityManager, events: { type: string; data: unknown }[]): Promise<void> {
    if (!events.length) return;
    const headers = causeHeaders();
    const occurredAt = this.clock.now();
    await manager.insert(
      OutboxEvent,
      events.map(({ type, data }) => ({
        id: this.clock.uuid(),
        type,
        data: data as object,
        headers,
        occurredAt,
        publishedAt: null,
      })),
    );
  }

  /** Publishes everything pending, oldest first. Concurrent calls coalesce into one pass plus one follow-up. */
  flush(): Promise<void> {
    // After stop(), whatever is still pending is relayed by the next start (it is in the table).
    if (this.stopped) return Promise.resolve();
    // Before waiting for a pass in progress: that pass may itself be waiting seconds for the stream.
    if (this.immediate.length && this.publisher.notify) void this.announceImmediate();
    if (this.flushing) {
      this.again = true;
      return this.flushing;
    }
    this.flushing = (async () => {
      do {
        this.again = false;
        await this.publishPending();
      } while (this.again);
    })()
      .catch((err) => {
        if (!this.availability?.noteFailure(err)) this.logger.warn({ err }, 'outbox relay failed; will retry');
      })
      .finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  /**
   * Publishes in batches: the publishes of a batch go out together (one connection keeps their order) and the batch
   * is marked published with one statement. Rows are claimed with FOR UPDATE SKIP LOCKED, so replicas of a service
   * relaying the same outbox never publish one event twice.
   */
  private async publishPending(): Promise<void> {
    const table = this.table;
    for (;;) {
      const published = await this.dataSource.transaction(async (manager) => {
        const batch: { id: string; type: string; data: unknown; headers: Record<string, string>; occurred_at: Date }[] = await manager.query(
          `SELECT "id", "type", "data", "headers", "occurred_at" FROM ${table} WHERE "published_at" IS NULL ORDER BY "occurred_at" LIMIT 500 FOR UPDATE SKIP LOCKED`,
        );
        if (!batch.length) return 0;
        const envelopes = batch.map((row) => ({ id: row.id, type: row.type, occurredAt: new Date(row.occurred_at).toISOString(), data: row.data }));
        const sequences = await Promise.all(envelopes.map((envelope, i) => this.publisher.publish(envelope, batch[i].headers)));
        // Each row keeps the stream sequence it was stored at: a consumer that fell behind retention asks by it.
        if (sequences.some((sequence) => typeof sequence === 'number')) {
          await manager.query(
            `UPDATE ${table} AS o SET "published_at" = $1, "stream_sequence" = v.seq FROM unnest($2::uuid[], $3::bigint[]) AS v(id, seq) WHERE o."id" = v.id`,
            [this.clock.now(), batch.map((row) => row.id), sequences.map((sequence) => (typeof sequence === 'number' ? sequence : null))],
          );
        } else {
          await manager.update(OutboxEvent, { id: In(batch.map((row) => row.id)) }, { publishedAt: this.clock.now() });
        }
        return batch.length;
      });
      if (!published) return;
    }
  }

  /**
   * Sends committed immediate events over plain NATS at once, from the envelopes the caller recorded, then relays them.
   * Resolves once the copies are handed to the connection: a caller that answers afterwards (a revocation) answers
   * after its event is on the wire. Reading them back from the table instead waits for a pooled connection, which a
   * busy or just-restarted database hands out seconds late while the token is still accepted.
   */
  async announce(envelopes: readonly EventEnvelope[]): Promise<void> {
    if (this.stopped || !this.publisher.notify) return void this.flush();
    const immediate = envelopes.filter((envelope) => this.immediate.includes(envelope.type) && !this.announced.has(envelope.id));
    for (const envelope of immediate) {
      this.remember(envelope.id);
      this.publisher.notify(envelope, { ...causeHeaders(), [MESSAGE_ID_HEADER]: envelope.id });
    }
    void this.flush();
    // The bus sends notifications at the end of the event-loop turn (setImmediate, first in, first out).
    if (immediate.length) await new Promise((resolve) => setImmediate(resolve));
  }

  /**
   * Sends the immediate events still waiting in the table over plain NATS (what another attempt committed and did not
   * get to send), and resolves once they are handed to the connection.
   */
  async announcePending(): Promise<void> {
    if (this.stopped || !this.publisher.notify || !this.immediate.length) return;
    await this.announceImmediate();
    await new Promise((resolve) => setImmediate(resolve));
  }

  private remember(id: string): void {
    if (this.announced.size >= 10_000) this.announced.clear();
    this.announced.add(id);
  }

  /**
   * Sends the pending immediate events over plain NATS, each once per process (ADR 0038): a stream electing a leader
   * holds the relay's publish for seconds, a revocation must not wait for it. `Nats-Msg-Id` makes the stream store
   * such a copy and the relayed event once.
   */
  private async announceImmediate(): Promise<void> {
    try {
      const rows: { id: string; type: string; data: unknown; headers: Record<string, string>; occurred_at: Date }[] = await this.dataSource.query(
        `SELECT "id", "type", "data", "headers", "occurred_at" FROM ${this.table} WHERE "published_at" IS NULL AND "type" = ANY($1) ORDER BY "occurred_at" LIMIT 500`,
        [this.immediate],
      );
      for (const row of rows) {
        if (this.announced.has(row.id)) continue;
        this.remember(row.id);
        const envelope = { id: row.id, type: row.type, occurredAt: new Date(row.occurred_at).toISOString(), data: row.data };
        this.publisher.notify!(envelope, { ...row.headers, [MESSAGE_ID_HEADER]: row.id });
      }
    } catch {
      // The relay reports the outage; this is only the early copy.
    }
  }

  private get table(): string {
    return `"${(this.dataSource.options as { schema?: string }).schema ?? 'public'}"."outbox_event"`;
  }

  /** Retries anything left pending (bus down at commit time, a crash) every `intervalMs`. */
  start(intervalMs = 1000): void {
    this.timer = setInterval(() => void this.flush(), intervalMs);
    this.timer.unref();
    void this.flush();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.flushing;
  }
}
