import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The Shared Signals transmitter's state (ADR 0049): receivers' streams, the subjects each asked for, and the SETs
 * waiting for delivery, so a restart loses neither a stream nor an event it owes a receiver.
 */
export class SsfStreams1767600000000 implements MigrationInterface {
  name = 'SsfStreams1767600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "auth"."ssf_stream" (
      "id" uuid PRIMARY KEY,
      "receiver" text NOT NULL,
      "events_requested" jsonb NOT NULL,
      "delivery_method" text NOT NULL,
      "endpoint_url" text,
      "authorization_header_sealed" text,
      "description" text,
      "status" text NOT NULL,
      "status_reason" text,
      "created_at" timestamptz NOT NULL,
      "updated_at" timestamptz NOT NULL,
      CONSTRAINT "ssf_stream_status" CHECK ("status" IN ('enabled', 'paused', 'disabled')))`);
    await q.query(`CREATE INDEX "ssf_stream_receiver" ON "auth"."ssf_stream" ("receiver")`);
    await q.query(`CREATE TABLE "auth"."ssf_subject" (
      "stream_id" uuid NOT NULL REFERENCES "auth"."ssf_stream" ("id") ON DELETE CASCADE,
      "key" text NOT NULL,
      "subject" jsonb NOT NULL,
      PRIMARY KEY ("stream_id", "key"))`);
    // An event looks subjects up by their first part (keys are sorted parts joined by '|'): one index probe per part.
    await q.query(`CREATE INDEX "ssf_subject_first_part" ON "auth"."ssf_subject" (split_part("key", '|', 1))`);
    await q.query(`CREATE TABLE "auth"."ssf_pending_set" (
      "jti" uuid PRIMARY KEY,
      "stream_id" uuid NOT NULL REFERENCES "auth"."ssf_stream" ("id") ON DELETE CASCADE,
      "claims" jsonb NOT NULL,
      "created_at" timestamptz NOT NULL,
      "attempts" integer NOT NULL DEFAULT 0,
      "next_attempt_at" timestamptz NOT NULL,
      "last_error" text)`);
    await q.query(`CREATE INDEX "ssf_pending_set_stream" ON "auth"."ssf_pending_set" ("stream_id", "created_at")`);
    await q.query(`CREATE INDEX "ssf_pending_set_due" ON "auth"."ssf_pending_set" ("next_attempt_at")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "auth"."ssf_pending_set"`);
    await q.query(`DROP TABLE "auth"."ssf_subject"`);
    await q.query(`DROP TABLE "auth"."ssf_stream"`);
  }
}
