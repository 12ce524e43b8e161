import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The X-Request-Id a caller sent, kept apart from the platform's own request id: entries written before keep null
 * (their `request_id` may be a caller's choice; nothing tells them apart now).
 */
export class AuditClientRequestId1767100000000 implements MigrationInterface {
  name = 'AuditClientRequestId1767100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "auth"."audit_entry" ADD COLUMN "client_request_id" text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "auth"."audit_entry" DROP COLUMN "client_request_id"`);
  }
}
