import { Controller, Get, Query, Res, UseGuards } from '@nestjs/common';
import { ListAuditQuery, Subjects, type AuditPage } from '@tessera/contracts';
import { BusClient } from '@tessera/messaging';
import type { FastifyReply } from 'fastify';
import { Readable } from 'node:stream';
import { ADMIN, PermissionGuard, RequirePermission } from '../http/permission.guard.js';
import { Answers } from '../openapi/decorators.js';

const EXPORT_PAGE = 1000;

/**
 * The audit log (ADR 0023), read-only: no route updates or deletes an entry. Administrators and owners read it
 * (it names who did what from where); filters: actor, action (or a prefix ending in "."), target, outcome, from, to.
 */
@Controller('admin/audit')
@UseGuards(PermissionGuard)
@RequirePermission(ADMIN)
export class AuditController {
  constructor(private readonly bus: BusClient) {}

  /** Newest first; `?limit=` (1-1000, default 100) and `?cursor=` (the previous page's nextCursor). */
  @Answers(200, 'The audit log, newest first, filtered and paged by cursor')
  @Get()
  list(@Query() query: ListAuditQuery): Promise<AuditPage> {
    return this.bus.call(Subjects.auth.audit.list, query);
  }

  /** The same filters, every matching entry as NDJSON (one JSON object a line), fetched page by page as it streams. */
  @Answers(200, 'The audit log as NDJSON, with the same filters', {
    type: 'application/x-ndjson',
    schema: { type: 'string', description: 'One AuditEntryView (JSON) per line' },
  })
  @Get('export')
  async export(@Query() query: ListAuditQuery, @Res() reply: FastifyReply): Promise<void> {
    const { cursor: start, limit: _limit, ...filters } = query;
    // The first page is fetched before answering, so a bad filter is still a plain 400, not a broken stream.
    const first = await this.bus.call(Subjects.auth.audit.list, { ...filters, ...(start ? { cursor: start } : {}), limit: EXPORT_PAGE });
    const bus = this.bus;
    async function* lines(): AsyncGenerator<string> {
      let page = first;
      for (;;) {
        for (const entry of page.items) yield `${JSON.stringify(entry)}\n`;
        if (!page.nextCursor) return;
        page = await bus.call(Subjects.auth.audit.list, { ...filters, cursor: page.nextCursor, limit: EXPORT_PAGE });
      }
    }
    await reply
      .header('content-type', 'application/x-ndjson; charset=utf-8')
      .header('content-disposition', 'attachment; filename="tessera-audit.ndjson"')
      .send(Readable.from(lines()));
  }
}
