import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { ListSsfStreamsQuery, Subjects, type SsfStreamAdminPage } from '@tessera/contracts';
import { BusClient } from '@tessera/messaging';
import { OPERATOR, PermissionGuard, RequirePermission } from '../http/permission.guard.js';
import { Answers } from '../openapi/decorators.js';

/**
 * Every receiver's Shared Signals streams, read-only (ADR 0049): which integrations listen, how, and whether their SETs
 * get through. Operators read it as they read outbound tokens: it names endpoints, never a secret.
 */
@Controller('admin/ssf/streams')
@UseGuards(PermissionGuard)
@RequirePermission(OPERATOR)
export class SsfAdminController {
  constructor(private readonly bus: BusClient) {}

  @Answers(200, "Every receiver's SSF streams, newest first, with their subjects and waiting SETs counted")
  @Get()
  list(@Query() query: ListSsfStreamsQuery): Promise<SsfStreamAdminPage> {
    return this.bus.call(Subjects.auth.ssf.list, query);
  }
}
