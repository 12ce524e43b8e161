import { Controller, Get, Inject, Query, Req, Res, UseGuards } from '@nestjs/common';
import { BusError, EVENT_SUBJECTS, isAuditEvent, type EventEnvelope } from '@tessera/contracts';
import { ApiQuery } from '@nestjs/swagger';
import type { Bus, Stoppable } from '@tessera/messaging';
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

/** Formats one event as a server-sent event (`id`, `event`, `data`); `data` is JSON on one line. */
export function serverSentEvent(event: EventEnvelope): string {
  return `id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
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
  @Refuses(429)
  @Get('stream')
  async stream(@Query('replaySeconds') replaySeconds: string | undefined, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
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
      watch = await this.events.watch([EVENT_SUBJECTS], replayMs(replaySeconds), async (event) => {
        if (!closed && (seesAudit || !isAuditEvent(event.type))) raw.write(serverSentEvent(event));
      });
      if (closed) await watch.stop();
    } catch (err) {
      this.logger.warn({ err }, 'event stream could not watch the bus');
      raw.write(`event: error\ndata: ${JSON.stringify({ message: 'The event bus is unavailable' })}\n\n`);
      close();
    }
  }
}
