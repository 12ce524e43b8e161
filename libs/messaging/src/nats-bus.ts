import { NatsKvReplayCache, replayBucketName, type ReplayCache } from './replay-cache.js';
import {
  AckPolicy,
  DeliverPolicy,
  jetstream,
  jetstreamManager,
  type ConsumerMessages,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
} from '@nats-io/jetstream';
import { connect, headers as natsHeaders, type Msg, type MsgHdrs, type NatsConnection, type Subscription } from '@nats-io/transport-node';
import {
  BusError,
  EVENT_REPLAY_BY_OWNER,
  eventOwnerOf,
  NOTICE_SUBJECTS,
  REPLAY_CACHES,
  servingService,
  type BusReply,
  type EventEnvelope,
  type ReplayedEventPage,
} from '@tessera/contracts';
import type { Logger } from '@tessera/observability';
import { busAuthentication, type BusSecurity } from './nats-security.js';
import { ReplyMux, RequestFailed, RESPONDER_HEADER } from './reply-mux.js';
import {
  BusUnavailableError,
  type Bus,
  type ConsumerBacklog,
  type DurableConsumerOptions,
  type EventHandler,
  type FeedStatus,
  type LiveFeed,
  type MessageHeaders,
  type RequestHandler,
  type RequestOptions,
  type Stoppable,
  STORED_AT_HEADER,
  SEQUENCE_HEADER,
  type StoredEventPage,
  TRANSIENT_CONSUMER_IDLE_MS,
  type WatchOptions,
} from './bus.js';
import { NatsWatch } from './nats-watch.js';
import { randomBytes } from 'node:crypto';
import { envelopeProblem, judgeFailure, MAX_DELIVERIES, payloadHead, type DeadLetter, type DeadLetterSink } from './consumer-policy.js';
import { RetentionCatchUp } from './catch-up.js';
import {
  DEFAULT_STREAM_SETTINGS,
  defaultReplicas,
  ensureStreams,
  eventStreamName,
  streamOf,
  streamPlans,
  streamsHolding,
  type EventStreamSettings,
  type StreamPlan,
} from './event-streams.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const encode = (value: unknown) => encoder.encode(JSON.stringify(value));
const decode = (bytes: Uint8Array): unknown => (bytes.length ? JSON.parse(decoder.decode(bytes)) : undefined);
const NANOS_PER_MS = 1_000_000;
/** JetStream deliveries carry their acknowledgement subject as the reply. */
const JETSTREAM_ACK = '$JS.ACK.';

export interface NatsBusOptions {
  servers: string;
  /** Prepended to every subject and to the stream name; empty for a platform that has NATS to itself. */
  subjectPrefix: string;
  /** Connection name shown by the NATS server (e.g. the service name). */
  name: string;
  logger: Logger;
  /** Credential and TLS for a secured bus (see `npm run nats:config`); none on an open development bus. */
  security?: BusSecurity;
  /** The streams' retention and replicas (ADR 0038); DEFAULT_STREAM_SETTINGS when not given. */
  streams?: EventStreamSettings;
  /** How often a durable consumer checks that the stream's retention has not passed it by (10 s by default). */
  catchUpIntervalMs?: number;
}

function toHeaders(values: MessageHeaders | undefined): MsgHdrs | undefined {
  if (!values || !Object.keys(values).length) return undefined;
  const h = natsHeaders();
  for (const [key, value] of Object.entries(values)) h.set(key, value);
  return h;
}

function fromHeaders(h: MsgHdrs | undefined): MessageHeaders {
  const out: MessageHeaders = {};
  if (h) for (const key of h.keys()) out[key] = h.get(key);
  return out;
}

/**
 * Where a connection's replies arrive. One prefix per service, so the bus permissions can let each service subscribe
 * to its own replies only (`<prefix>.>`), never to another's.
 */
export function inboxPrefixFor(name: string): string {
  return `_INBOX.${name.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

/** The JetStream durable consumer a service uses for one event subject. */
export function durableConsumerName(durable: string, subject: string): string {
  return `${durable}__${subject.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

/**
 * Request/reply over core NATS; events over two JetStream streams (changes, and notifications) with a durable pull
 * consumer per service and subject.
 */
export class NatsBus implements Bus {
  readonly kind = 'nats' as const;
  private connection?: NatsConnection;
  private readonly replayCaches = new Map<string, ReplayCache>();
  private replies?: ReplyMux;
  private linkUp = false;
  private linkWaiters: (() => void)[] = [];
  private readonly notifications: { event: EventEnvelope; headers?: MessageHeaders }[] = [];
  private turnEnd?: Promise<void>;
  private js?: JetStreamClient;
  private streamReady?: Promise<void>;
  private readonly subscriptions = new Set<Subscription>();
  private readonly consumers = new Set<Stoppable>();
  /** The durable consumers this connection consumes from, for their backlog (metrics). */
  private readonly durables = new Map<string, string>();
  private readonly watches = new Map<NatsWatch, string>();

  constructor(private readonly options: NatsBusOptions) {}

  get streamName(): string {
    return eventStreamName(this.options.subjectPrefix);
  }

  wire(subject: string): string {
    return this.options.subjectPrefix ? `${this.options.subjectPrefix}.${subject}` : subject;
  }

  private unwire(subject: string): string {
    return this.options.subjectPrefix ? subject.slice(this.options.subjectPrefix.length + 1) : subject;
  }

  async connect(): Promise<void> {
    if (this.connection) return;
    this.connection = await connect({
      servers: this.options.servers.split(','),
      name: this.options.name,
      inboxPrefix: inboxPrefixFor(this.options.name),
      ...busAuthentication(this.options.security),
      maxReconnectAttempts: -1,
      reconnectTimeWait: 500,
      // By default JetStream calls build Error objects up front (stack capture) in case they fail.
      noAsyncTraces: true,
    });
    this.linkUp = true;
    this.replies = new ReplyMux(this.connection, inboxPrefixFor(this.options.name), (expected, got) => {
      // Once, then every 1,000th: a service that redirects answers here costs no log volume.
      if (this.foreignReplies++ % 1_000 === 0) {
        this.options.logger.warn({ expected, got: got ?? null, ignored: this.foreignReplies }, 'ignored a reply from another responder than the service asked');
      }
    });
    this.subscriptions.add(this.replies.subscription);
    this.js = jetstream(this.connection);
    void (async () => {
      for await (const status of this.connection!.status()) {
        if (status.type === 'disconnect') {
          this.linkUp = false;
          for (const watch of this.watches.keys()) watch.suspend();
        }
        if (status.type === 'reconnect') {
          this.linkUp = true;
          for (const resolve of this.linkWaiters.splice(0)) resolve();
          // The server may have restarted and lost the feeds' ephemeral consumers: resume each after its last event.
          for (const watch of this.watches.keys()) void watch.restart();
        }
        if (status.type === 'disconnect' || status.type === 'reconnect') this.options.logger.warn({ nats: status.type }, `NATS ${status.type}`);
        // On a secured bus a subject missing from the permission table shows here: loud, so it is fixed in the table.
        if (status.type === 'error') this.options.logger.error({ err: status.error }, 'NATS refused an operation');
      }
    })().catch(() => undefined);
  }

  isConnected(): boolean {
    return !!this.connection && this.linkUp && !this.connection.isClosed() && !this.connection.isDraining();
  }

  private get nc(): NatsConnection {
    if (!this.connection) throw new BusUnavailableError('', 'disconnected');
    return this.connection;
  }

  /**
   * Resolves at the end of this event-loop turn, once for every caller: requests and notifications made while handling
   * the HTTP requests read in one turn are then sent together, and the NATS client flushes them in one socket write.
   */
  private endOfTurn(): Promise<void> {
    return (this.turnEnd ??= new Promise((resolve) =>
      setImmediate(() => {
        this.turnEnd = undefined;
        resolve();
      }),
    ));
  }

  async request(subject: string, data: unknown, options: RequestOptions): Promise<BusReply> {
    try {
      await this.endOfTurn();
      if (!this.replies) throw new BusUnavailableError(subject, 'disconnected');
      const reply = await this.replies.request(
        this.wire(subject),
        encode(data ?? null),
        options.timeoutMs,
        toHeaders(options.headers),
        servingService(subject),
      );
      return decode(reply.data) as BusReply;
    } catch (error) {
      if (error instanceof RequestFailed) throw new BusUnavailableError(subject, error.reason);
      // Publishing on a closed or draining connection throws.
      if (/closed|draining|disconnect/i.test(String((error as Error)?.message ?? error))) throw new BusUnavailableError(subject, 'disconnected');
      throw error;
    }
  }

  serve(subject: string, queueGroup: string, handler: RequestHandler): Stoppable {
    // Every answer names the service answering (its queue group), so a caller can ignore one another service had
    // delivered to its inbox.
    const responderHeaders = natsHeaders();
    responderHeaders.set(RESPONDER_HEADER, queueGroup);
    const respond = (msg: Msg, reply: unknown) => msg.respond(encode(reply), { headers: responderHeaders });
    const subscription = this.nc.subscribe(this.wire(subject), {
      queue: queueGroup,
      callback: (error, msg) => {
        if (error) return this.options.logger.error({ err: error, subject }, 'subscription error');
        // A request comes from a client; a JetStream delivery (a push consumer someone pointed at this subject) is not one.
        if (!msg.reply || msg.reply.startsWith(JETSTREAM_ACK)) return this.refuseDelivery(subject);
        let data: unknown;
        try {
          data = decode(msg.data);
        } catch {
          respond(msg, { ok: false, error: { code: 'validation_failed', message: 'The message is not valid JSON' } });
          return;
        }
        handler({ subject, data, headers: fromHeaders(msg.headers) })
          .then((reply) => respond(msg, reply))
          .catch((err) => {
            this.options.logger.error({ err, subject }, 'request handler failed');
            respond(msg, { ok: false, error: { code: 'internal', message: 'Internal error' } });
          });
      },
    });
    this.subscriptions.add(subscription);
    return {
      stop: async () => {
        this.subscriptions.delete(subscription);
        await subscription.drain();
      },
    };
  }

  private refusedDeliveries = 0;
  private foreignReplies = 0;

  /** Logged once per connection (then every 1,000th): a sender that floods a request subject costs no log volume. */
  private refuseDelivery(subject: string): void {
    if (this.refusedDeliveries++ % 1_000 === 0) {
      this.options.logger.warn(
        { subject, refused: this.refusedDeliveries },
        'ignored a message on a request subject that is not a request (no reply, or a JetStream delivery)',
      );
    }
  }

  /**
   * Makes the event streams exist with their limits and replicas (ADR 0038); safe to call from every service at every
   * start. Replicas, unless configured, follow the server: 3 on a cluster of three or more, else 1.
   */
  ensureStream(): Promise<void> {
    this.streamReady ??= (async () => {
      const jsm = await jetstreamManager(this.nc);
      const settings = this.options.streams ?? DEFAULT_STREAM_SETTINGS;
      const replicas = settings.replicas ?? defaultReplicas(this.nc.info);
      await ensureStreams(jsm, this.options.subjectPrefix, settings, replicas, (subject) => this.wire(subject));
    })().catch((error) => {
      this.streamReady = undefined;
      throw error;
    });
    return this.streamReady;
  }

  /**
   * Waits (bounded) for a dropped connection to come back. A JetStream publish made while disconnected is buffered
   * by nats.js and its acknowledgement is then lost with the old connection: the outbox would wait out the whole
   * publish timeout (5 s) before retrying, and a revocation would reach verifiers that much later.
   */
  private async linkBack(subject: string, timeoutMs = 5_000): Promise<void> {
    if (this.linkUp || !this.connection) return;
    let timer: NodeJS.Timeout | undefined;
    const back = new Promise<void>((resolve) => this.linkWaiters.push(resolve));
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new BusUnavailableError(subject, 'disconnected')), timeoutMs);
    });
    try {
      await Promise.race([back, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async publish(event: EventEnvelope, headers?: MessageHeaders): Promise<number> {
    await this.linkBack(event.type);
    await this.ensureStream();
    // msgID makes JetStream drop a second publish of the same event inside the duplicate window (outbox retries); a
    // duplicate's acknowledgement names the first one's sequence.
    const ack = await this.js!.publish(this.wire(event.type), encode(event), { msgID: event.id, headers: toHeaders(headers) });
    return ack.seq;
  }

  /** Notifications wait for the end of the event-loop turn, so those of many requests leave in one socket write. */
  notify(event: EventEnvelope, headers?: MessageHeaders): void {
    this.notifications.push({ event, headers });
    if (this.notifications.length === 1) void this.endOfTurn().then(() => this.publishNotifications());
  }

  private publishNotifications(): void {
    for (const { event, headers } of this.notifications.splice(0)) {
      try {
        this.nc.publish(this.wire(event.type), encode(event), { headers: toHeaders(headers) });
      } catch (err) {
        this.options.logger.warn({ err, type: event.type }, 'could not publish a notification');
      }
    }
  }

  /**
   * One durable pull consumer per subject (named `<durable>__<subject>`): NATS servers before 2.10 take a single
   * filter subject per consumer, and this keeps each consumer's deliveries to exactly the events it handles.
   */
  async consume(options: DurableConsumerOptions, handler: EventHandler): Promise<Stoppable> {
    await this.ensureStream();
    const parts = await Promise.all(
      options.subjects.map((subject) =>
        this.consumeOne(durableConsumerName(options.durable, subject), subject, handler, options.onDeadLetter, options.transient ?? false),
      ),
    );
    return { stop: async () => void (await Promise.all(parts.map((p) => p.stop()))) };
  }

  private async consumeOne(
    durable: string,
    subject: string,
    handler: EventHandler,
    onDeadLetter: DeadLetterSink | undefined,
    transient: boolean,
  ): Promise<Stoppable> {
    const stream = streamOf(this.options.subjectPrefix, subject)?.name ?? this.streamName;
    const jsm = await jetstreamManager(this.nc);
    await this.ensureConsumer(jsm, stream, durable, subject, transient);
    this.durables.set(durable, stream);
    const onMessage = this.deliveryHandler(durable, handler, onDeadLetter);
    const owner = eventOwnerOf(subject);
    // Notifications are in no outbox: nothing to catch up from (ADR 0009).
    if (!owner || NOTICE_SUBJECTS.includes(subject)) return this.track(await this.messagesOf(stream, durable), onMessage);

    let live: Stoppable | undefined;
    const catchUp = new RetentionCatchUp({
      consumer: durable,
      subject,
      logger: this.options.logger,
      onDeadLetter,
      positions: async () => {
        const [streamInfo, consumerInfo] = await Promise.all([
          jsm.streams.info(stream),
          jsm.consumers
            .info(stream, durable)
            .catch((error) => (/consumer not found/i.test(String((error as Error).message)) ? undefined : Promise.reject(error))),
        ]);
        return { firstSequence: streamInfo.state.first_seq, ackFloor: consumerInfo?.ack_floor.stream_seq };
      },
      replay: async (query) => {
        const reply = await this.request(EVENT_REPLAY_BY_OWNER[owner], query, { timeoutMs: 10_000 });
        if (!reply.ok) throw BusError.fromPayload(reply.error);
        return reply.data as ReplayedEventPage;
      },
      handle: handler,
      recreate: async () => {
        await live?.stop();
        await this.ensureConsumer(jsm, stream, durable, subject);
        live = this.track(await this.messagesOf(stream, durable), onMessage);
      },
    });
    // Where the consumer stood before it takes anything: once deliveries start, its floor passes what was lost.
    const before = await catchUp.positions();
    live = this.track(await this.messagesOf(stream, durable), onMessage);
    const check = (positions?: { firstSequence: number; ackFloor: number | undefined }) =>
      void catchUp
        .check(positions)
        .catch((err: unknown) =>
          this.options.logger.warn({ consumer: durable, error: String((err as Error)?.message ?? err) }, 'catching up from the outbox failed; will retry'),
        );
    check(before);
    const timer = setInterval(() => this.connection && this.linkUp && check(), this.options.catchUpIntervalMs ?? 10_000);
    timer.unref();
    return {
      stop: async () => {
        clearInterval(timer);
        await catchUp.idle();
        await live?.stop();
      },
    };
  }

  private async ensureConsumer(jsm: JetStreamManager, stream: string, durable: string, subject: string, transient = false): Promise<void> {
    // The server removes a transient consumer nobody takes from (nats-server ≥ 2.9 applies this to durables too).
    const idle = transient ? TRANSIENT_CONSUMER_IDLE_MS * NANOS_PER_MS : 0;
    const existing = await jsm.consumers.info(stream, durable).catch(() => undefined);
    if (existing) {
      // Consumers made before delivery was bounded (or before they were transient) keep their settings until told otherwise.
      if (existing.config.max_deliver !== MAX_DELIVERIES || (existing.config.inactive_threshold ?? 0) !== idle)
        await jsm.consumers.update(stream, durable, { max_deliver: MAX_DELIVERIES, inactive_threshold: idle });
      return;
    }
    await jsm.consumers
      .add(stream, {
        ack_policy: AckPolicy.Explicit,
        ack_wait: 30_000 * NANOS_PER_MS,
        max_deliver: MAX_DELIVERIES,
        durable_name: durable,
        deliver_policy: transient ? DeliverPolicy.New : DeliverPolicy.All,
        ...(transient ? { inactive_threshold: idle } : {}),
        filter_subject: this.wire(subject),
      })
      .catch((error) => {
        // A replica created it between our check and our add: the same consumer, which is what we want.
        if (!/already in use|exists/i.test(String((error as Error).message))) throw error;
      });
  }

  private async messagesOf(stream: string, durable: string): Promise<ConsumerMessages> {
    const consumer = await this.js!.consumers.get(stream, durable);
    return consumer.consume({ max_messages: 64 });
  }

  /** What a durable consumer does with each delivery: check the envelope, hand it over, ack, redeliver or set aside. */
  private deliveryHandler(durable: string, handler: EventHandler, onDeadLetter?: DeadLetterSink): (msg: JsMsg) => Promise<void> {
    const logger = this.options.logger;
    /** One log line per message set aside, whatever it held; then it is terminated so it is never delivered again. */
    const setAside = async (msg: JsMsg, letter: Omit<DeadLetter, 'consumer' | 'subject' | 'deliveries' | 'payload'>) => {
      const full: DeadLetter = {
        ...letter,
        consumer: durable,
        subject: this.unwire(msg.subject),
        deliveries: msg.info.deliveryCount,
        payload: payloadHead(decoder.decode(msg.data)),
      };
      logger.warn(
        { consumer: durable, subject: full.subject, eventId: full.eventId, reason: full.reason, detail: full.detail, deliveries: full.deliveries },
        'event set aside (dead letter)',
      );
      await onDeadLetter?.(full).catch((err: unknown) =>
        logger.error({ consumer: durable, eventId: full.eventId, error: String((err as Error)?.message ?? err) }, 'could not record a dead letter'),
      );
      // No reason text: servers before 2.10.4 do not read "+TERM <reason>" as a termination at all.
      msg.term();
    };
    return async (msg) => {
      // The envelope is checked before anything else: what fails it can never be handled, so it is not redelivered.
      let event: EventEnvelope;
      try {
        event = decode(msg.data) as EventEnvelope;
      } catch {
        return setAside(msg, { eventId: null, reason: 'malformed', detail: 'not JSON' });
      }
      const problem = envelopeProblem(event, this.unwire(msg.subject));
      if (problem) {
        const id = (event as { id?: unknown } | null)?.id;
        return setAside(msg, { eventId: typeof id === 'string' ? id.slice(0, 100) : null, reason: 'malformed', detail: problem });
      }
      try {
        // The subject, not the envelope's word: only the owner's credential may publish there (ADR 0027).
        await handler({ ...event, type: this.unwire(msg.subject) }, { ...fromHeaders(msg.headers), [STORED_AT_HEADER]: msg.timestamp });
        msg.ack();
      } catch (err) {
        const verdict = judgeFailure(err, msg.info.deliveryCount);
        if (verdict.kind === 'dead') return setAside(msg, { eventId: event.id, reason: verdict.reason, detail: verdict.detail });
        // Not acked: redelivered after a back-off. Logged in full once; an outage is logged by whoever watches it.
        if (verdict.quiet)
          logger.debug(
            { eventId: event.id, type: event.type, delay: verdict.delayMs, error: String((err as Error)?.message ?? err) },
            'event handler failed again; will redeliver',
          );
        else logger.warn({ err, eventId: event.id, type: event.type, delay: verdict.delayMs }, 'event handler failed; will redeliver');
        msg.nak(verdict.delayMs);
      }
    };
  }

  /** Runs `onMessage` for each message in order until stopped; close() stops every such loop. */
  private track(messages: ConsumerMessages, onMessage: (msg: JsMsg) => Promise<void>): Stoppable {
    const loop = (async () => {
      for await (const msg of messages) await onMessage(msg);
    })();
    const stoppable: Stoppable = {
      stop: async () => {
        this.consumers.delete(stoppable);
        await messages.close();
        await loop.catch(() => undefined);
      },
    };
    this.consumers.add(stoppable);
    return stoppable;
  }

  /**
   * A feed over every stream holding the subject: `tessera.events.>` reads the changes and the notifications. A resume
   * point (`afterSequence`) is a sequence of the change stream, the one history pages through: the notices stream
   * (token.issued, kept an hour) resumes by `replayMs` alone, and its events carry no sequence header.
   */
  async watch(subjects: string[], replayMs: number, handler: EventHandler, options: WatchOptions = {}): Promise<LiveFeed> {
    await this.ensureStream();
    if (subjects.length !== 1) throw new Error('watch takes one subject (NATS < 2.10 filters on one subject per consumer)');
    const streams = streamsHolding(this.options.subjectPrefix, subjects[0]);
    if (!streams.length) throw new Error(`no event stream holds ${subjects[0]}`);
    const feeds: NatsWatch[] = [];
    try {
      for (const stream of streams) feeds.push(await this.watchStream(stream, subjects[0], replayMs, handler, options));
    } catch (error) {
      await Promise.all(feeds.map((feed) => feed.stop()));
      throw error;
    }
    return feeds.length === 1 ? feeds[0] : combinedFeed(feeds);
  }

  private async watchStream(stream: StreamPlan, subject: string, replayMs: number, handler: EventHandler, options: WatchOptions): Promise<NatsWatch> {
    const changes = stream.kind === 'changes';
    const watch = new NatsWatch({
      js: this.js!,
      stream: stream.name,
      subject: this.wire(subject),
      namePrefix: this.watchPrefix,
      replayMs,
      afterSequence: changes ? options.afterSequence : undefined,
      logger: this.options.logger,
      decode: (msg) => {
        const event = decode(msg.data) as EventEnvelope;
        // The same check as a durable consumer's: a live handler never sees a payload that does not fit its kind.
        const problem = envelopeProblem(event, this.unwire(msg.subject));
        if (problem) throw new Error(problem);
        return {
          event: { ...event, type: this.unwire(msg.subject) },
          headers: {
            ...fromHeaders(msg.headers),
            [STORED_AT_HEADER]: msg.timestamp,
            ...(changes ? { [SEQUENCE_HEADER]: String(msg.info.streamSequence) } : {}),
          },
        };
      },
      handler,
      onStop: () => this.watches.delete(watch),
    });
    await watch.start();
    this.watches.set(watch, subject);
    return watch;
  }

  /** Watch consumers are named after the connection (`<name>-watch…`): the secured bus grants them by that prefix. */
  private get watchPrefix(): string {
    return `${this.options.name.replace(/[^A-Za-z0-9_-]/g, '_')}-watch`;
  }

  /**
   * A page of the stored events through a short-lived ordered consumer (the same rights as a watch), deleted after:
   * the stream is the history, so nothing is copied into a table for it.
   */
  async history(subject: string, afterSequence: number, limit: number): Promise<StoredEventPage> {
    await this.ensureStream();
    const jsm = await jetstreamManager(this.nc);
    const name = `${this.watchPrefix}-${randomBytes(6).toString('hex')}`;
    await jsm.consumers.add(this.streamName, {
      name,
      filter_subject: this.wire(subject),
      ack_policy: AckPolicy.None,
      deliver_policy: DeliverPolicy.StartSequence,
      opt_start_seq: afterSequence + 1,
      // Removed by the server too, should this process die before deleting it.
      inactive_threshold: 60_000 * NANOS_PER_MS,
    });
    const consumer = await this.js!.consumers.get(this.streamName, name);
    try {
      // The stream's last sequence, not the consumer's num_pending: nats-server 2.9 counts one short from a start sequence.
      const streamLast = (await jsm.streams.info(this.streamName)).state.last_seq;
      const wanted = Math.min(limit, Math.max(0, streamLast - afterSequence));
      const events: StoredEventPage['events'] = [];
      // A pull may end before it is full (the server sends what it has at hand): pull again until the page is.
      let read = 0;
      let lastSequence = afterSequence;
      while (read < wanted) {
        const batch = await consumer.fetch({ max_messages: wanted - read, expires: 1_000 });
        let got = 0;
        for await (const msg of batch) {
          got++;
          lastSequence = msg.info.streamSequence;
          try {
            events.push({ sequence: msg.info.streamSequence, event: { ...(decode(msg.data) as EventEnvelope), type: this.unwire(msg.subject) } });
          } catch {
            /* not JSON: not an event anyone can read; skipped like the watch does */
          }
          if (read + got >= wanted) break;
        }
        read += got;
        if (!got || lastSequence >= streamLast) break;
      }
      return { events, lastSequence, more: lastSequence < streamLast };
    } finally {
      await consumer.delete().catch(() => undefined);
    }
  }

  listen(subject: string, handler: EventHandler): Stoppable {
    const subscription = this.nc.subscribe(this.wire(subject), {
      callback: (error, msg) => {
        if (error) return this.options.logger.error({ err: error, subject }, 'subscription error');
        let event: EventEnvelope;
        try {
          event = decode(msg.data) as EventEnvelope;
        } catch {
          return;
        }
        if (envelopeProblem(event, this.unwire(msg.subject))) return;
        handler({ ...event, type: this.unwire(msg.subject) }, fromHeaders(msg.headers)).catch((err: unknown) =>
          this.options.logger.warn({ err, subject }, 'listen handler failed'),
        );
      },
    });
    this.subscriptions.add(subscription);
    return {
      stop: async () => {
        this.subscriptions.delete(subscription);
        await subscription.drain().catch(() => undefined);
      },
    };
  }

  /** The server's count of what each of this connection's durable consumers has still to deliver and to see acked. */
  async consumerBacklogs(): Promise<ConsumerBacklog[]> {
    if (!this.durables.size || !this.isConnected()) return [];
    const jsm = await jetstreamManager(this.nc, { checkAPI: false });
    return Promise.all(
      [...this.durables].map(async ([consumer, stream]) => {
        const info = await jsm.consumers.info(stream, consumer);
        return { consumer, pending: info.num_pending, ackPending: info.num_ack_pending };
      }),
    );
  }

  replayCache(name: string, maxAgeMs: number): ReplayCache {
    let cache = this.replayCaches.get(name);
    if (!cache) this.replayCaches.set(name, (cache = new NatsKvReplayCache(() => this.nc, replayBucketName(this.options.subjectPrefix, name), maxAgeMs)));
    return cache;
  }

  feeds(): FeedStatus[] {
    return [...this.watches].map(([watch, subject]) => ({ name: watch.name, subject, ...watch.status() }));
  }

  async flush(): Promise<void> {
    await this.nc.flush();
  }

  async close(): Promise<void> {
    if (!this.connection) return;
    this.replies?.close();
    this.replies = undefined;
    await Promise.all([...this.consumers].map((c) => c.stop()));
    await Promise.all([...this.watches.keys()].map((w) => w.stop()));
    await Promise.all([...this.subscriptions].map((s) => s.drain().catch(() => undefined)));
    if (!this.connection.isClosed()) await this.connection.drain().catch(() => this.connection?.close());
    this.connection = undefined;
  }

  /** For tests and tools: removes this prefix's streams (and so their consumers). */
  async deleteStream(): Promise<void> {
    const jsm = await jetstreamManager(this.nc);
    for (const plan of streamPlans(this.options.subjectPrefix)) await jsm.streams.delete(plan.name).catch(() => undefined);
    // And the replay caches this platform made (their buckets are streams named after the same prefix).
    for (const name of Object.values(REPLAY_CACHES))
      await jsm.streams.delete(`KV_${replayBucketName(this.options.subjectPrefix, name)}`).catch(() => undefined);
  }
}

/** One feed over several streams' feeds: live when each is, stopped together. */
function combinedFeed(feeds: NatsWatch[]): LiveFeed {
  return {
    name: feeds[0].name,
    isLive: () => feeds.every((feed) => feed.isLive()),
    status: () => {
      const states = feeds.map((feed) => feed.status());
      const state = states.find((s) => s.state === 'down')?.state ?? states.find((s) => s.state === 'behind')?.state ?? 'live';
      return { state, lastSequence: Math.max(...states.map((s) => s.lastSequence)), pending: states.reduce((n, s) => n + s.pending, 0) };
    },
    stop: async () => void (await Promise.all(feeds.map((feed) => feed.stop()))),
  };
}
