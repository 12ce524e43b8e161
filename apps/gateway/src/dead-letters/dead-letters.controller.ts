import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { ListDeadLettersQuery, Subjects, type DeadLetterPage } from '@tessera/contracts';
import { BusClient } from '@tessera/messaging';
import { ADMIN, PermissionGuard, RequirePermission } from '../http/permission.guard.js';
import { Answers } from '../openapi/decorators.js';

/** Every service keeps the events its consumers set aside in its own schema; this route asks each. */
const DEAD_LETTER_SUBJECTS = [Subjects.auth.deadLetter.list, Subjects.registry.deadLetter.list, Subjects.broker.deadLetter.list] as const;

/**
 * Events a service's durable consumer set aside instead of redelivering them for ever: malformed envelopes, content
 * its handler refused, and events its handler kept failing on. Read like the audit log, by administrators: a message
 * that was meant for it may carry the same details (who, from where).
 */
@Controller('admin/dead-letters')
@UseGuards(PermissionGuard)
@RequirePermission(ADMIN)
export class DeadLettersController {
  constructor(private readonly bus: BusClient) {}

  @Answers(200, 'Events the consumers set aside, newest first (at most `limit` from each service)')
  @Get()
  async list(@Query() query: ListDeadLettersQuery): Promise<DeadLetterPage> {
    const pages = await Promise.all(DEAD_LETTER_SUBJECTS.map((subject) => this.bus.call(subject, query)));
    return { items: pages.flatMap((page) => page.items).sort((a, b) => b.recordedAt.localeCompare(a.recordedAt)) };
  }
}
