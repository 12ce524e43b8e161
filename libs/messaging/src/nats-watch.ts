import { DeliverPolicy, type Consumer, type ConsumerMessages, type JetStreamClient, type JsMsg } from '@nats-io/jetstream';
import type { EventEnvelope } from '@tessera/contracts';
import type { Logger } from '@tessera/observability';
import { randomBytes } from 'node:crypto';
import type { EventHandler, FeedState, LiveFeed, MessageHeaders } from './bus.js';

/** Delay between attempts to (re)create a feed's consumer: short, since a revocation waits on it. */
const RETRY_MS = 100;

export interface NatsWatchOptions {
  js: JetStreamClient;
  stream: string;
  /** The wired (prefixed) subject the feed filters on. */
  subject: string;
  /** Consumer names start with it (`<service>-watch`): the secured bus grants JetStream rights by this prefix. */
  namePrefix: string;
  replayMs: number;
  /** Start right after this stream sequence rather than `replayMs` ago (a client resuming with Last-Event-ID). */
  afterSequence?: number;
  logger: Logger;
  /** Throws, saying why, for a message that is not a well-formed event of its kind: the feed drops it. */
  decode(msg: JsMsg): { event: EventEnvelope; headers: MessageHeaders };
  handler: EventHandler;
  onStop(): void;
}

/**
 * One live feed over an ordered JetStream consumer that resumes by itself. It remembers the stream sequence of the
 * last event it handed over; after a NATS restart (the ephemeral consumer is gone), a reconnect, or missed heartbeats,
 * it makes a new consumer starting right after that sequence, so nothing is skipped and nothing is seen twice.
 *
 * We restart the consumer ourselves rather than rely on nats.js's ordered-consumer reset: that reset copies the
 * first consumer's `opt_start_time` next to a start sequence, which the server refuses, so a feed that began with a
 * replay window retried for ever and never came back.
 */
export class NatsWatch implements LiveFeed {
  private lastSequence = 0;
  /** Events in the stream this feed has not handed over yet (its lag), as the server last said. */
  private pending = 0;
  private messages?: ConsumerMessages;
  /** The server-side consumer behind `messages`: deleted with it, not left to its inactivity threshold. */
  private consumer?: Consumer;
  private state: FeedState = 'behind';
  private stopped = false;
  private generation = 0;
  private restarting?: Promise<void>;
  /**
   * Where the feed begins when it has handed nothing over yet: fixed when the feed is made, not at each (re)open, so
   * a feed that resumes before its first event still gets everything published since it began (an event relayed
   * from an outbox as the bus comes back lands before the resume and was lost when the start was "now").
   */
  private readonly startTime: string;

  constructor(private readonly options: NatsWatchOptions) {
    this.startTime = new Date(Date.now() - options.replayMs).toISOString();
    if (options.afterSequence !== undefined) this.lastSequence = options.afterSequence;
  }

  get name(): string {
    return this.options.namePrefix;
  }

  status(): { state: FeedState; lastSequence: number; pending: number } {
    return { state: this.stopped ? 'down' : this.state, lastSequence: this.lastSequence, pending: this.pending };
  }

  isLive(): boolean {
    return !this.stopped && this.state === 'live';
  }

  /** Creates the first consumer; throws if it cannot (the caller reports that the bus is unavailable). */
  async start(): Promise<void> {
    await this.open();
  }

  /** The connection dropped: nothing arrives until it is back and the feed has caught up. */
  suspend(): void {
    if (!this.stopped) this.state = 'down';
  }

  /** (Re)creates the consumer after the last event seen, retrying until it works or the feed is stopped. */
  restart(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.state = 'behind';
    this.restarting ??= (async () => {
      while (!this.stopped) {
        try {
          await this.open();
          return;
        } catch (err) {
          this.options.logger.debug({ err, feed: this.name }, 'live feed could not resume yet; retrying');
          await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
        }
      }
    })().finally(() => (this.restarting = undefined));
    return this.restarting;
  }

  private async open(): Promise<void> {
    const generation = ++this.generation;
    await this.release();
    const { js, stream, subject, namePrefix } = this.options;
    const start =
      this.lastSequence > 0
        ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: this.lastSequence + 1 }
        : { deliver_policy: DeliverPolicy.StartTime, opt_start_time: this.startTime };
    const consumer = await js.consumers.get(stream, { name_prefix: `${namePrefix}-${randomBytes(6).toString('hex')}`, filter_subjects: subject, ...start });
    const info = await consumer.info(true);
    const messages = await consumer.consume({ max_messages: 256, idle_heartbeat: 1_000, expires: 5_000 });
    if (this.stopped || generation !== this.generation) {
      await messages.close().catch(() => undefined);
      await consumer.delete().catch(() => undefined);
      return;
    }
    this.messages = messages;
    this.consumer = consumer;
    this.pending = info.num_pending;
    this.state = info.num_pending === 0 ? 'live' : 'behind';
    void this.watchStatus(messages, generation);
    void this.deliver(messages, generation);
  }

  private async watchStatus(messages: ConsumerMessages, generation: number): Promise<void> {
    for await (const status of messages.status()) {
      if (generation !== this.generation || this.stopped) return;
      // Anything that means the consumer may be gone or stalled: start a new one after the last event we handled.
      if (['heartbeats_missed', 'consumer_not_found', 'consumer_deleted', 'stream_not_found', 'reset', 'no_responders'].includes(status.type)) {
        this.options.logger.warn({ feed: this.name, status: status.type }, 'live feed interrupted; resuming');
        void this.restart();
        return;
      }
    }
  }

  private async deliver(messages: ConsumerMessages, generation: number): Promise<void> {
    try {
      for await (const msg of messages) {
        if (generation !== this.generation || this.stopped) break;
        const sequence = msg.info.streamSequence;
        // A recreated consumer may start at an event we already handed over: skip it (no duplicates).
        if (sequence <= this.lastSequence) continue;
        let decoded;
        try {
          decoded = this.options.decode(msg);
        } catch (err) {
          // One line per event, no stack: a publisher's mistake must not flood the log (ADR 0029).
          this.options.logger.warn({ subject: msg.subject, problem: String((err as Error)?.message ?? err) }, 'live feed dropping a malformed event');
          this.lastSequence = sequence;
          continue;
        }
        try {
          await this.options.handler(decoded.event, decoded.headers);
        } catch (err) {
          this.options.logger.warn({ err, subject: msg.subject }, 'watch handler failed');
        }
        this.lastSequence = sequence;
        this.pending = msg.info.pending;
        if (msg.info.pending === 0 && this.state === 'behind') this.state = 'live';
        else if (msg.info.pending > 0) this.state = 'behind';
      }
    } catch (err) {
      this.options.logger.warn({ err, feed: this.name }, 'live feed stopped');
    }
    // The iterator ended without being asked to: the consumer went away, so resume.
    if (!this.stopped && generation === this.generation) void this.restart();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.options.onStop();
    this.generation++;
    await this.release();
  }

  /**
   * Stops the current consumer and deletes it on the server: a feed per open console stream would otherwise leave
   * one consumer behind for minutes after each closed connection.
   */
  private async release(): Promise<void> {
    const { messages, consumer } = this;
    this.messages = undefined;
    this.consumer = undefined;
    await messages?.close().catch(() => undefined);
    await consumer?.delete().catch(() => undefined);
  }
}
