import { BaseRpcContext, Server, type CustomTransportStrategy, type MessageHandler } from '@nestjs/microservices';
import { BUS_ERROR_CODES, BusError, type BusErrorPayload, type BusReply } from '@tessera/contracts';
import { contextFromHeaders, runWithRequestContext, type Logger } from '@tessera/observability';
import { isObservable, lastValueFrom } from 'rxjs';
import type { Bus, MessageHeaders, Stoppable } from './bus.js';
import type { DeadLetterSink } from './consumer-policy.js';

export { REQUEST_ID_HEADER } from '@tessera/observability';

/** Context handed to @MessagePattern / @EventPattern handlers (`@Ctx()`): the subject and headers. */
export class BusContext extends BaseRpcContext<[string, MessageHeaders]> {
  get subject() {
    return this.args[0];
  }
  get headers() {
    return this.args[1];
  }
}

export interface BusServerOptions {
  bus: Bus;
  /** The service's name: its queue group for requests and its durable consumer name for events. */
  service: string;
  logger: Logger;
  /** On close, how long requests already taken may take to be answered; 10 s by default. */
  drainTimeoutMs?: number;
  /**
   * Turns an infrastructure failure a handler met (the service's database down) into a typed error, so the caller
   * gets `unavailable` (503, Retry-After) instead of `internal`; undefined for anything it does not recognise.
   */
  classifyError?: (error: unknown) => BusErrorPayload | undefined;
  /** Records the events its consumers set aside (the service's dead-letter table). */
  onDeadLetter?: DeadLetterSink;
}

/** Turns whatever a handler threw into the typed error payload that crosses the bus. */
export function toErrorPayload(error: unknown): BusErrorPayload | undefined {
  if (error instanceof BusError) return error.toPayload();
  const candidate = (error as { error?: unknown })?.error ?? error;
  // Only our own codes: a driver error also carries a string `code` (Postgres '22021'), and its message must not
  // cross the bus as if it were a typed error (the gateway has no HTTP status for it and answered a broken 500).
  if (
    candidate &&
    typeof candidate === 'object' &&
    (BUS_ERROR_CODES as readonly unknown[]).includes((candidate as BusErrorPayload).code) &&
    typeof (candidate as BusErrorPayload).message === 'string'
  ) {
    const { code, message, details } = candidate as BusErrorPayload;
    return { code, message, ...(details ? { details } : {}) };
  }
  return undefined;
}

/**
 * A Nest custom transport strategy over a Bus (NATS or in-process): @MessagePattern handlers answer requests in the
 * service's queue group; @EventPattern handlers share one durable consumer per service and an event is acked only
 * after its handler (and so its database transaction) has finished.
 */
export class BusServer extends Server implements CustomTransportStrategy {
  private readonly running: Stoppable[] = [];
  /** Requests taken and not yet answered. */
  private readonly answering = new Set<Promise<BusReply>>();

  constructor(private readonly options: BusServerOptions) {
    super();
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    try {
      await this.options.bus.connect();
      for (const [pattern, handler] of this.messageHandlers) {
        if (!handler.isEventHandler)
          this.running.push(
            this.options.bus.serve(pattern, this.options.service, (request) => this.answer(handler, request.subject, request.data, request.headers)),
          );
      }
      const eventPatterns = [...this.messageHandlers].filter(([, h]) => h.isEventHandler).map(([p]) => p);
      if (eventPatterns.length) {
        this.running.push(
          await this.options.bus.consume(
            { durable: this.options.service, subjects: eventPatterns, onDeadLetter: this.options.onDeadLetter },
            async (event, headers) => {
              const handler = this.getHandlerByPattern(event.type);
              if (!handler) return;
              await runWithRequestContext(contextFromHeaders(headers), async () => {
                try {
                  const result = await handler(event, new BusContext([event.type, headers]));
                  if (isObservable(result)) await lastValueFrom(result, { defaultValue: undefined });
                } catch (error) {
                  // Still thrown (the event is redelivered), but typed: the bus then logs an outage quietly.
                  const classified = this.options.classifyError?.(error);
                  throw classified ? BusError.fromPayload(classified) : error;
                }
              });
            },
          ),
        );
      }
      await this.options.bus.flush();
      callback();
    } catch (error) {
      callback(error);
    }
  }

  private answer(handler: MessageHandler, subject: string, data: unknown, headers: MessageHeaders): Promise<BusReply> {
    const reply = this.handle(handler, subject, data, headers);
    this.answering.add(reply);
    const settled = () => this.answering.delete(reply);
    reply.then(settled, settled);
    return reply;
  }

  private handle(handler: MessageHandler, subject: string, data: unknown, headers: MessageHeaders): Promise<BusReply> {
    return runWithRequestContext(contextFromHeaders(headers), async () => {
      try {
        const result = await handler(data, new BusContext([subject, headers]));
        const value = isObservable(result) ? await lastValueFrom(result, { defaultValue: undefined }) : result;
        return { ok: true, data: value ?? null } as BusReply;
      } catch (error) {
        const payload = toErrorPayload(error) ?? this.options.classifyError?.(error);
        if (payload) return { ok: false, error: payload } as BusReply;
        this.options.logger.error({ err: error, subject }, 'unhandled error in message handler');
        return { ok: false, error: { code: 'internal', message: 'Internal error' } } as BusReply;
      }
    });
  }

  /**
   * Stops taking requests and events, then waits for the requests already taken to be answered (bounded), so a
   * restart or a rolling deploy costs their callers nothing instead of a bus timeout.
   */
  async close(): Promise<void> {
    await Promise.all(this.running.splice(0).map((r) => r.stop()));
    if (!this.answering.size) return;
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.options.drainTimeoutMs ?? 10_000);
    });
    const outcome = await Promise.race([Promise.allSettled([...this.answering]), gaveUp]);
    clearTimeout(timer);
    if (outcome === 'timeout') this.options.logger.warn({ unanswered: this.answering.size }, 'stopped with requests still being handled');
  }

  on(): never {
    throw new Error('BusServer does not emit events; use the logger');
  }

  unwrap<T>(): T {
    return this.options.bus as T;
  }
}
