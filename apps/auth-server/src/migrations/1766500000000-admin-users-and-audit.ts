import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Named administrators with roles, their sessions, and the audit log (ADR 0023). The account that existed
 * (the bootstrap `admin`) becomes the first owner. The audit log refuses updates and deletes at the database: only a
 * transaction that set `tessera.audit_prune` (the pruner, for entries past their retention) may delete.
 */
export class AdminUsersAndAudit1766500000000 implements MigrationInterface {
  name = 'AdminUsersAndAudit1766500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "auth"."admin_user"
      ADD COLUMN "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      ADD COLUMN "role" text NOT NULL DEFAULT 'owner',
      ADD COLUMN "must_change_password" boolean NOT NULL DEFAULT false,
      ADD COLUMN "updated_at" timestamptz`);
    await q.query(`UPDATE "auth"."admin_user" SET "updated_at" = "created_at"`);
    await q.query(`ALTER TABLE "auth"."admin_user" ALTER COLUMN "updated_at" SET NOT NULL, ALTER COLUMN "role" DROP DEFAULT,
      ADD CONSTRAINT "admin_user_id" UNIQUE ("id"),
      ADD CONSTRAINT "admin_user_role" CHECK ("role" IN ('viewer', 'operator', 'admin', 'owner'))`);
    await q.query(`CREATE TABLE "auth"."admin_session" (
      "id" uuid PRIMARY KEY,
      "user_id" uuid NOT NULL REFERENCES "auth"."admin_user" ("id") ON DELETE CASCADE,
      "address" text,
      "started_at" timestamptz NOT NULL,
      "last_seen_at" timestamptz NOT NULL,
      "idle_expires_at" timestamptz NOT NULL,
      "ends_at" timestamptz NOT NULL,
      "ended_at" timestamptz,
      "ended_reason" text)`);
    await q.query(`CREATE INDEX "admin_session_live" ON "auth"."admin_session" ("user_id") WHERE "ended_at" IS NULL`);
    await q.query(`CREATE INDEX "admin_session_ends_at" ON "auth"."admin_session" ("ends_at")`);

    await q.query(`CREATE TABLE "auth"."audit_entry" (
      "id" uuid PRIMARY KEY,
      "occurred_at" timestamptz NOT NULL,
      "service" text NOT NULL,
      "action" text NOT NULL,
      "outcome" text NOT NULL,
      "actor_type" text,
      "actor_id" text,
      "actor_name" text,
      "address" text,
      "request_id" text,
      "target_type" text NOT NULL,
      "target_id" text,
      "target_name" text,
      "changes" jsonb,
      "detail" jsonb)`);
    await q.query(`CREATE INDEX "audit_entry_page" ON "auth"."audit_entry" ("occurred_at" DESC, "id" DESC)`);
    await q.query(`CREATE INDEX "audit_entry_actor" ON "auth"."audit_entry" ("actor_id", "occurred_at" DESC)`);
    await q.query(`CREATE INDEX "audit_entry_target" ON "auth"."audit_entry" ("target_id", "occurred_at" DESC)`);
    await q.query(`CREATE FUNCTION "auth"."audit_entry_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' AND current_setting('tessera.audit_prune', true) = 'on' THEN RETURN OLD; END IF;
        RAISE EXCEPTION 'the audit log is append-only (%)', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`CREATE TRIGGER "audit_entry_append_only" BEFORE UPDATE OR DELETE ON "auth"."audit_entry"
      FOR EACH ROW EXECUTE FUNCTION "auth"."audit_entry_append_only"()`);
    await q.query(`CREATE TRIGGER "audit_entry_no_truncate" BEFORE TRUNCATE ON "auth"."audit_entry"
      FOR EACH STATEMENT EXECUTE FUNCTION "auth"."audit_entry_append_only"()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "auth"."audit_entry"`);
    await q.query(`DROP FUNCTION "auth"."audit_entry_append_only"()`);
    await q.query(`DROP TABLE "auth"."admin_session"`);
    await q.query(`ALTER TABLE "auth"."admin_user" DROP CONSTRAINT "admin_user_role", DROP CONSTRAINT "admin_user_id",
      DROP COLUMN "updated_at", DROP COLUMN "must_change_password", DROP COLUMN "role", DROP COLUMN "id"`);
  }
}
