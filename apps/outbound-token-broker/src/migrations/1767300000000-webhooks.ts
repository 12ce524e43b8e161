import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Webhook endpoints, their messages and attempts (docs/decisions/0048). */
export class Webhooks1767300000000 implements MigrationInterface {
  name = 'Webhooks1767300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "broker"."webhook_endpoint" (
      "id" uuid PRIMARY KEY, "url" text NOT NULL, "event_types" jsonb NOT NULL, "description" text, "enabled" boolean NOT NULL,
      "disabled_reason" text, "failing_since" timestamptz, "secret_sealed" text NOT NULL, "previous_secret_sealed" text,
      "previous_secret_until" timestamptz, "signing_key_sealed" text, "public_key" text,
      "created_at" timestamptz NOT NULL, "updated_at" timestamptz NOT NULL)`);
    await queryRunner.query(`CREATE TABLE "broker"."webhook_message" (
      "id" uuid PRIMARY KEY, "endpoint_id" uuid NOT NULL REFERENCES "broker"."webhook_endpoint" ("id") ON DELETE CASCADE,
      "message_id" text NOT NULL, "event_id" uuid NOT NULL, "event_type" text NOT NULL, "body" text NOT NULL, "state" text NOT NULL,
      "schedule_step" int NOT NULL DEFAULT 0, "next_attempt_at" timestamptz, "claimed_until" timestamptz,
      "created_at" timestamptz NOT NULL, "delivered_at" timestamptz,
      CONSTRAINT "webhook_message_once" UNIQUE ("endpoint_id", "message_id"))`);
    await queryRunner.query(`CREATE INDEX "webhook_message_due" ON "broker"."webhook_message" ("next_attempt_at") WHERE "state" = 'pending'`);
    await queryRunner.query(`CREATE INDEX "webhook_message_by_endpoint" ON "broker"."webhook_message" ("endpoint_id", "created_at" DESC, "id" DESC)`);
    await queryRunner.query(`CREATE TABLE "broker"."webhook_attempt" (
      "id" uuid PRIMARY KEY, "message_row_id" uuid NOT NULL REFERENCES "broker"."webhook_message" ("id") ON DELETE CASCADE,
      "attempted_at" timestamptz NOT NULL, "status" int, "latency_ms" int NOT NULL, "response" text NOT NULL, "error" text)`);
    await queryRunner.query(`CREATE INDEX "webhook_attempt_by_message" ON "broker"."webhook_attempt" ("message_row_id", "attempted_at")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "broker"."webhook_attempt"`);
    await queryRunner.query(`DROP TABLE "broker"."webhook_message"`);
    await queryRunner.query(`DROP TABLE "broker"."webhook_endpoint"`);
  }
}
