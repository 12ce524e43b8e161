import { Controller, Get, Headers, Inject, Query, Req, Res, UseGuards } from '@nestjs/common';
import { BusError, EVENT_SUBJECTS, isAuditEvent, ListEventsQuery, matchesEventTypes, type EventEnvelope, type EventHistoryPage } from '@tessera/contracts';
import { ApiHeader, ApiQuery } from '@nestjs/swagger';
import { SEQUENCE_HEADER, type Bus, type MessageHeaders, type Stoppable } from '@tessera/messaging';
import type { Logger } from '@tessera/observability';
import { parseScope } from '@tessera/permissions';
import { BUS, LOGGER } from '@tessera/runtime';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ADMIN, mayCall, PermissionGuard, RequirePermission, VIEWER, type AuthenticatedRequest } from '../http/permission.guard.js';
import { Answers, Refuses } from '../openapi/decorators.js';
import { clientAddress } from '../http/client-address.js';
import { EventStreamLimits } from './event-stream-limits.js';
import type { AccessTokenClaims } from '@tessera/verifier';

/** At most an hour of history on connect: what the console's per-minute chart shows. */
const MAX_REPLAY_SECONDS = 3600;
/** A comment line this often keeps proxies and idle timeouts from closing a quiet stream. */
const HEARTBEAT_MS = 15_000;

/** Events read from the history per page unless the caller says otherwise. */
const DEFAULT_HISTORY_PAGE = 100;

/**
 * Formats one event as a server-sent event (`id`, `event`, `data`); `data` is JSON on one line. The id is the event's
 * place in the stream, so a client that reconnects with it as Last-Event-ID resumes right after it.
 */
export function serverSentEvent(event: EventEnvelope, headers: MessageHeaders = {}): string {
  return `id: ${headers[SEQUENCE_HEADER] ?? event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

/** A Last-Event-ID this stream gave (a stream sequence), or undefined. */
export function resumeAfter(lastEventId: string | undefined): number | undefined {
  return lastEventId && /^\d{1,16}$/.test(lastEventId.trim()) ? Number(lastEventId.trim()) : undefined;
}

export function replayMs(replaySeconds: unknown): number {
  const seconds = Number(replaySeconds ?? 0);
  return Number.isFinite(seconds) ? Math.max(0, Math.min(MAX_REPLAY_SECONDS, Math.floor(seconds))) * 1000 : 0;
}

/** Whose streams count together: an admin's sign-in session, or an integration's client. */
function streamCaller(claims: AccessTokenClaims | undefined): string {
  if (typeof claims?.sub === 'string' && claims.sub.startsWith('admin:') && typeof claims.fid === 'string') return `session:${claims.fid}`;
  return `client:${claims?.client_id ?? ''}`;
}

/**
 * The console's Activity feed: every `tessera.events.>` event, as server-sent events, for an admin token.
 * Authenticated by the Bearer header like every /admin route (the console reads the stream with fetch, since
 * EventSource cannot send headers), so no cookie and no token in the URL, where it would end up in logs.
 */
@Controller('admin/events')
@UseGuards(PermissionGuard)
@RequirePermission(VIEWER)
export class EventsStreamController {
  constructor(
    @Inject(BUS) private readonly events: Bus,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly limits: EventStreamLimits,
  ) {}

  /**
   * The stored history (the event stream itself), oldest first, a page at a time: for systems that poll rather than
   * hold a stream open. Audit lines only for those who may read the audit log, as on the live stream.
   */
  @Answers(200, 'The stored events after a cursor, oldest first')
  @Get()
  async history(@Query() query: ListEventsQuery, @Req() request: FastifyRequest): Promise<EventHistoryPage> {
    const seesAudit = mayCall(parseScope((request as AuthenticatedRequest).user?.scope), ADMIN);
    const types = query.types?.split(',');
    const page = await this.events.history(EVENT_SUBJECTS, Number(query.after ?? 0), query.limit ?? DEFAULT_HISTORY_PAGE).catch((err: unknown) => {
      this.logger.warn({ err }, 'event history could not be read from the bus');
      throw new BusError('unavailable', 'The event bus is unavailable; retry shortly');
    });
    const items = page.events
      .filter(({ event }) => (seesAudit || !isAuditEvent(event.type)) && (!types || matchesEventTypes(types, event.type)))
      .map(({ sequence, event }) => ({
        sequence: String(sequence),
        id: event.id,
        type: event.type,
        occurredAt: event.occurredAt,
        data: event.data as Record<string, unknown>,
      }));
    return { items, nextCursor: String(page.lastSequence), more: page.more };
  }

  @Answers(200, 'Every event, as server-sent events', {
    type: 'text/event-stream',
    schema: { type: 'string', description: 'id, event (the type) and data (the event envelope as JSON) per event' },
  })
  @ApiQuery({
    name: 'replaySeconds',
    required: false,
    description: 'Begin with the events of this many seconds before now (at most an hour)',
    schema: { type: 'integer', minimum: 0, maximum: MAX_REPLAY_SECONDS },
  })
  @ApiHeader({
    name: 'Last-Event-ID',
    required: false,
    description: 'The id of the last event received: the stream resumes right after it (replaySeconds is then ignored)',
  })
  @Refuses(429)
  @Get('stream')
  async stream(
    @Query('replaySeconds') replaySeconds: string | undefined,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const release = this.limits.tryOpen(streamCaller((request as AuthenticatedRequest).user), clientAddress(request));
    if (!release) throw new BusError('rate_limited', 'Too many open event streams; close one first', { retryAfterSeconds: 5 });
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-accel-buffering': 'no',
      'x-request-id': String(request.id),
    });
    raw.write(': connected\n\n');
    let watch: Stoppable | undefined;
    let closed = false;
    const heartbeat = setInterval(() => raw.write(': heartbeat\n\n'), HEARTBEAT_MS);
    const close = () => {
      if (closed) return;
      closed = true;
      release();
      clearInterval(heartbeat);
      void watch?.stop();
      if (!raw.writableEnded) raw.end();
    };
    request.raw.on('close', close);
    // The audit log names who did what from where: those who may not read it (viewers, operators) do not get it here either.
    const seesAudit = mayCall(parseScope((request as AuthenticatedRequest).user?.scope), ADMIN);
    try {
      // One ordered consumer per open stream (NATS 2.9: one filter subject per consumer), gone when the admin leaves.
      const after = resumeAfter(lastEventId);
      watch = await this.events.watch(
        [EVENT_SUBJECTS],
        replayMs(replaySeconds),
        async (event, headers) => {
          if (!closed && (seesAudit || !isAuditEvent(event.type))) raw.write(serverSentEvent(event, headers));
        },
        after === undefined ? {} : { afterSequence: after },
      );
      if (closed) await watch.stop();
    } catch (err) {
      this.logger.warn({ err }, 'event stream could not watch the bus');
      raw.write(`event: error\ndata: ${JSON.stringify({ message: 'The event bus is unavailable' })}\n\n`);
      close();
    }
  }
}
