import { Controller } from '@nestjs/common';
import { EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import { AUDIT_RECORDED, ListAuditQuery, Subjects, type AuditRecordedEvent, type EventEnvelope } from '@tessera/contracts';
import { AuditLogService } from './audit-log.service.js';

@Controller()
export class AuditLogHandler {
  constructor(private readonly log: AuditLogService) {}

  /** Every service's audit events (each on its own subject), through auth-server's durable consumer: stored once each. */
  @EventPattern(Object.values(AUDIT_RECORDED))
  async onAuditRecorded(@Payload() event: EventEnvelope<AuditRecordedEvent>): Promise<void> {
    await this.log.store(event);
  }

  @MessagePattern(Subjects.auth.audit.list)
  list(@Payload() query: ListAuditQuery) {
    return this.log.list(query);
  }
}
