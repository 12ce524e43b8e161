import type { ReplayCache } from './replay-cache.js';
import type { BusReply, EventEnvelope } from '@tessera/contracts';
import {
  activeContext,
  endSpanWithError,
  extractTraceContext,
  SpanKind,
  SpanStatusCode,
  startSpan,
  TRACEPARENT_HEADER,
  traceHeadersFor,
  withSpan,
  type Attributes,
  type Span,
} from '@tessera/observability';
import type {
  Bus,
  DurableConsumerOptions,
  EventHandler,
  FeedStatus,
  LiveFeed,
  MessageHeaders,
  RequestHandler,
  RequestOptions,
  Stoppable,
  StoredEventPage,
  WatchOptions,
} from './bus.js';

/** Typed errors that mean the service failed (not the caller's mistake): the span is marked as an error for these. */
const FAILURE_CODES = new Set(['internal', 'unavailable']);

function markReply(span: Span, reply: BusReply): void {
  if (reply.ok) return;
  span.setAttribute('tessera.bus.error', reply.error.code);
  if (FAILURE_CODES.has(reply.error.code)) span.setStatus({ code: SpanStatusCode.ERROR, message: reply.error.code });
}

/**
 * A Bus that traces (used only while tracing is on, so a platform without it pays nothing): every request gets a
 * client span whose `traceparent` travels in the message headers, and the service's handler runs in a server span
 * that continues it; events get a producer span when published and a consumer span when processed. An event relayed
 * from the outbox continues the trace recorded with its row, not whatever the relay happens to run in.
 */
export class TracedBus implements Bus {
  constructor(private readonly bus: Bus) {}

  get kind() {
    return this.bus.kind;
  }

  private attributes(subject: string, operation: string): Attributes {
    return {
      'messaging.system': this.bus.kind === 'nats' ? 'nats' : 'tessera-in-process',
      'messaging.destination.name': subject,
      'messaging.operation.type': operation,
    };
  }

  connect(): Promise<void> {
    return this.bus.connect();
  }

  isConnected(): boolean {
    return this.bus.isConnected();
  }

  async request(subject: string, data: unknown, options: RequestOptions): Promise<BusReply> {
    const span = startSpan(subject, SpanKind.CLIENT, this.attributes(subject, 'send'));
    const headers = { ...options.headers, ...traceHeadersFor(span) };
    try {
      const reply = await this.bus.request(subject, data, { ...options, headers });
      markReply(span, reply);
      span.end();
      return reply;
    } catch (error) {
      endSpanWithError(span, error);
      throw error;
    }
  }

  serve(subject: string, queueGroup: string, handler: RequestHandler): Stoppable {
    return this.bus.serve(subject, queueGroup, async (request) => {
      // The caller's context comes from the headers only: in one process the in-process bus runs this in the caller's own.
      const parent = extractTraceContext(request.headers);
      const span = startSpan(subject, SpanKind.SERVER, { ...this.attributes(subject, 'process'), 'tessera.service': queueGroup }, parent);
      try {
        const reply = await withSpan(span, () => handler(request), parent);
        markReply(span, reply);
        span.end();
        return reply;
      } catch (error) {
        endSpanWithError(span, error);
        throw error;
      }
    });
  }

  /** The producer span continues the headers' trace when they carry one (an outbox row's), else the active one. */
  private producerHeaders(event: EventEnvelope, headers: MessageHeaders | undefined): { span: Span; headers: MessageHeaders } {
    const parent = headers?.[TRACEPARENT_HEADER] ? extractTraceContext(headers) : activeContext();
    const span = startSpan(`publish ${event.type}`, SpanKind.PRODUCER, { ...this.attributes(event.type, 'publish'), 'messaging.message.id': event.id }, parent);
    return { span, headers: { ...headers, ...traceHeadersFor(span, parent) } };
  }

  async publish(event: EventEnvelope, headers?: MessageHeaders): Promise<number | undefined> {
    const traced = this.producerHeaders(event, headers);
    try {
      const sequence = await this.bus.publish(event, traced.headers);
      traced.span.end();
      return sequence;
    } catch (error) {
      endSpanWithError(traced.span, error);
      throw error;
    }
  }

  notify(event: EventEnvelope, headers?: MessageHeaders): void {
    const traced = this.producerHeaders(event, headers);
    this.bus.notify(event, traced.headers);
    traced.span.end();
  }

  /** `consumer`: the service whose durable consumer this is; none for a live feed (every process has its own). */
  private consumerHandler(handler: EventHandler, consumer?: string): EventHandler {
    return async (event, headers) => {
      const parent = extractTraceContext(headers);
      const span = startSpan(
        `process ${event.type}`,
        SpanKind.CONSUMER,
        {
          ...this.attributes(event.type, 'process'),
          'messaging.message.id': event.id,
          ...(consumer ? { 'tessera.service': consumer } : {}),
        },
        parent,
      );
      try {
        await withSpan(span, () => handler(event, headers), parent);
        span.end();
      } catch (error) {
        endSpanWithError(span, error);
        throw error;
      }
    };
  }

  consume(options: DurableConsumerOptions, handler: EventHandler): Promise<Stoppable> {
    return this.bus.consume(options, this.consumerHandler(handler, options.durable));
  }

  watch(subjects: string[], replayMs: number, handler: EventHandler, options?: WatchOptions): Promise<LiveFeed> {
    return this.bus.watch(subjects, replayMs, this.consumerHandler(handler), options);
  }

  history(subject: string, afterSequence: number, limit: number): Promise<StoredEventPage> {
    return this.bus.history(subject, afterSequence, limit);
  }

  listen(subject: string, handler: EventHandler): Stoppable {
    return this.bus.listen(subject, this.consumerHandler(handler));
  }

  replayCache(name: string, maxAgeMs: number): ReplayCache {
    return this.bus.replayCache(name, maxAgeMs);
  }

  feeds(): FeedStatus[] {
    return this.bus.feeds();
  }

  flush(): Promise<void> {
    return this.bus.flush();
  }

  close(): Promise<void> {
    return this.bus.close();
  }
}
