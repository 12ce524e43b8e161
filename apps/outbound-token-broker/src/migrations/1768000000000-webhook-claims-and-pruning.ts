import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A claim looks at each endpoint's own due messages (so one endpoint's backlog never hides another's), and the pruner
 * finds delivered and failed messages past their retention by index rather than by scanning the log.
 */
export class WebhookClaimsAndPruning1768000000000 implements MigrationInterface {
  name = 'WebhookClaimsAndPruning1768000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "webhook_message_due_by_endpoint" ON "broker"."webhook_message" ("endpoint_id", "next_attempt_at") WHERE "state" = 'pending'`,
    );
    await queryRunner.query(`CREATE INDEX "webhook_message_delivered_at" ON "broker"."webhook_message" ("delivered_at") WHERE "state" = 'delivered'`);
    await queryRunner.query(`CREATE INDEX "webhook_message_failed_at" ON "broker"."webhook_message" ("created_at") WHERE "state" = 'failed'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "broker"."webhook_message_failed_at"`);
    await queryRunner.query(`DROP INDEX "broker"."webhook_message_delivered_at"`);
    await queryRunner.query(`DROP INDEX "broker"."webhook_message_due_by_endpoint"`);
  }
}
