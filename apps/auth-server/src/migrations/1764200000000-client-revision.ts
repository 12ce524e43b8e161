import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The revision barrier per client, client-wide revocations by revision (ADR 0013), and what the refresh
 * reuse interval needs: each refresh token's successor, and successors superseded by a retry.
 */
export class ClientRevision1764200000000 implements MigrationInterface {
  name = 'ClientRevision1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "auth"."client_revision" ("client_id" text PRIMARY KEY, "revision" int NOT NULL, "changed_at" timestamptz NOT NULL)`);
    await q.query(`ALTER TABLE "auth"."client_revocation" ADD COLUMN "min_revision" int`);
    await q.query(`ALTER TABLE "auth"."refresh_token" ADD COLUMN "replaced_by" text, ADD COLUMN "superseded_at" timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "auth"."refresh_token" DROP COLUMN "superseded_at", DROP COLUMN "replaced_by"`);
    await q.query(`ALTER TABLE "auth"."client_revocation" DROP COLUMN "min_revision"`);
    await q.query(`DROP TABLE "auth"."client_revision"`);
  }
}
