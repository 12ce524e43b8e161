import { BusError, type BusReply, type EventEnvelope } from '@tessera/contracts';
import type { DeadLetterSink } from './consumer-policy.js';
import type { ReplayCache } from './replay-cache.js';

export type MessageHeaders = Record<string, string>;

/**
 * When the event reached the stream, as the NATS server stamped it (ISO 8601), in the headers an event handler gets;
 * never the publisher's word, so a consumer can bound what an event claims about time. Absent in-process.
 */
export const STORED_AT_HEADER = 'x-tessera-stored-at';

/** An event's sequence in the stream, in the headers a watch handler gets: what a feed resumes after (Last-Event-ID). */
export const SEQUENCE_HEADER = 'x-tessera-sequence';

/** Where a feed starts instead of `replayMs` before now: right after this stream sequence. */
export interface WatchOptions {
  afterSequence?: number;
}

/** A page of the stored events, in stream order. */
export interface StoredEventPage {
  events: { sequence: number; event: EventEnvelope }[];
  /** The sequence of the last event read (the cursor for the next page); `afterSequence` when none was. */
  lastSequence: number;
  /** Whether the stream holds more after `lastSequence`. */
  more: boolean;
}

export interface IncomingRequest {
  subject: string;
  data: unknown;
  headers: MessageHeaders;
}

export type RequestHandler = (request: IncomingRequest) => Promise<BusReply>;
export type EventHandler = (event: EventEnvelope, headers: MessageHeaders) => Promise<void>;

export interface RequestOptions {
  headers?: MessageHeaders;
  timeoutMs: number;
}

export interface DurableConsumerOptions {
  /** Durable name: one per service, so each service sees every event once, and replicas share the work. */
  durable: string;
  /** Unprefixed subjects this consumer wants (a filter on the one event stream). */
  subjects: string[];
  /** Records what the consumer sets aside (a message it can never process); it is terminated on the bus either way. */
  onDeadLetter?: DeadLetterSink;
  /**
   * Kept only while taken from: a consumer made now starts at the stream's end, and one no process has taken from for
   * `TRANSIENT_CONSUMER_IDLE_MS` is removed, so what is published meanwhile is neither kept for it nor delivered later.
   * For notifications worth taking only while someone wants them (the webhook intake's `token.issued`, ADR 0036).
   */
  transient?: boolean;
}

/** How long a transient consumer outlives its last taker: longer than a service's restart, short in backlog. */
export const TRANSIENT_CONSUMER_IDLE_MS = 60_000;

export interface Stoppable {
  stop(): Promise<void>;
}

/** `live`: delivering as events arrive; `behind`: catching up (after a start or a reconnect); `down`: no connection. */
export type FeedState = 'live' | 'behind' | 'down';

/** What `watch` returns: a feed that resumes by itself after a bus outage, and says whether it is up to date. */
export interface LiveFeed extends Stoppable {
  readonly name: string;
  isLive(): boolean;
  status(): { state: FeedState; lastSequence: number; pending?: number };
}

export interface FeedStatus {
  name: string;
  subject: string;
  state: FeedState;
  /** The stream sequence of the last event handed over (0: none yet; always 0 in-process). */
  lastSequence: number;
  /** Events stored but not yet handed to this feed (NATS only): how far behind it is. */
  pending?: number;
}

/** A durable consumer's backlog as the server reports it (NATS only). */
export interface ConsumerBacklog {
  consumer: string;
  /** Stored events not yet delivered. */
  pending: number;
  /** Delivered, not yet acknowledged (being handled, or failed and waiting for redelivery). */
  ackPending: number;
}

/**
 * What the services need from a message bus. Two implementations carry exactly the same subjects and envelopes:
 * NATS (request/reply on core NATS, events on JetStream) and an in-process bus for the single-process embedded mode.
 * Subjects given to a Bus are unprefixed; the bus applies the platform's subject prefix on the wire.
 */
export interface Bus {
  readonly kind: 'nats' | 'in-process';
  connect(): Promise<void>;
  isConnected(): boolean;
  /** Sends a request and waits for the reply; rejects with BusUnavailableError on timeout or when nobody answers. */
  request(subject: string, data: unknown, options: RequestOptions): Promise<BusReply>;
  /** Answers requests on a subject; replicas of one service share the subject in one queue group. */
  serve(subject: string, queueGroup: string, handler: RequestHandler): Stoppable;
  /**
   * Publishes an event durably; resolves once the bus has stored it, with the stream sequence it was stored at (NATS;
   * undefined in-process). Publishing the same id twice stores it once (and answers the first one's sequence).
   */
  publish(event: EventEnvelope, headers?: MessageHeaders): Promise<number | undefined>;
  /**
   * Publishes a high-volume fact without waiting: no outbox, no publish acknowledgement. The stream still stores it
   * (it listens on every event subject), but one published while NATS is unreachable is dropped — for events whose
   * occasional loss is acceptable because the state they describe is durable elsewhere (`token.issued`).
   */
  notify(event: EventEnvelope, headers?: MessageHeaders): void;
  /** Delivers stored events to `handler`, acking each only after the handler resolves; redelivers after a failure. */
  consume(options: DurableConsumerOptions, handler: EventHandler): Promise<Stoppable>;
  /**
   * Delivers every event on `subjects` to this process (no queue group, no acks), starting with those published in
   * the last `replayMs`: for state every replica must hold, such as a verifier's deny-list. After a bus outage the
   * feed resumes by itself right after the last event it delivered: no gap, no duplicate. Events arrive in stream
   * order.
   */
  watch(subjects: string[], replayMs: number, handler: EventHandler, options?: WatchOptions): Promise<LiveFeed>;
  /** Up to `limit` stored events on `subject` after the stream sequence `afterSequence`, oldest first. */
  history(subject: string, afterSequence: number, limit: number): Promise<StoredEventPage>;
  /**
   * Hands `handler` each event on `subject` as it is published, over plain NATS: no stream, no replay, no
   * acknowledgement. Beside a `watch` of the same subject, for what must take effect at once even while the stream
   * has no leader (a cluster electing one): the owner sends such events this way too when it relays them (ADR 0038).
   * An event may arrive both ways; the handler must be idempotent.
   */
  listen(subject: string, handler: EventHandler): Stoppable;
  /**
   * A set of one-time values shared by every process on this bus (NATS: a key-value bucket per `name`, entries kept
   * `maxAgeMs`; in-process: memory). One instance per name and process.
   */
  replayCache(name: string, maxAgeMs: number): ReplayCache;
  /** The feeds `watch` opened and that are still running, with their state (for readiness). */
  feeds(): FeedStatus[];
  /**
   * Resolves once the server has registered every subscription made so far (`serve`): a service that says it is
   * listening must already be reachable, or a caller that reacts to that at once gets no responders.
   */
  flush(): Promise<void>;
  /** Stops taking new messages, lets in-flight ones finish, then disconnects. */
  close(): Promise<void>;
}

export class BusUnavailableError extends Error {
  constructor(
    readonly subject: string,
    readonly reason: 'timeout' | 'no_responders' | 'disconnected',
  ) {
    super(reason === 'timeout' ? `No reply on ${subject} in time` : reason === 'no_responders' ? `Nothing is serving ${subject}` : `The bus is not connected`);
    this.name = 'BusUnavailableError';
  }
}

/** A handler failed because a dependency is out (a typed `unavailable` error), not because of a bug. */
export function isOutage(error: unknown): boolean {
  return error instanceof BusError && error.code === 'unavailable';
}

/** NATS subject wildcard matching (`*` one token, `>` the rest). */
export function subjectMatches(filter: string, subject: string): boolean {
  const f = filter.split('.');
  const s = subject.split('.');
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '>') return s.length > i;
    if (i >= s.length || (f[i] !== '*' && f[i] !== s[i])) return false;
  }
  return f.length === s.length;
}
