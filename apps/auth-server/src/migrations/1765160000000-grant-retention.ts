import { createMessagingPruneIndexes } from '@tessera/persistence';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Indexes for pruning and for paging the live grants, and the per-integration issuance counters (ADR 0016). */
export class GrantRetention1765160000000 implements MigrationInterface {
  name = 'GrantRetention1765160000000';

  async up(q: QueryRunner): Promise<void> {
    await createMessagingPruneIndexes(q, 'auth');
    await q.query(`CREATE INDEX "refresh_token_family_revoked_at" ON "auth"."refresh_token_family" ("revoked_at") WHERE "revoked_at" IS NOT NULL`);
    await q.query(
      `CREATE INDEX "refresh_token_family_expires_at" ON "auth"."refresh_token_family" ("expires_at") WHERE "revoked_at" IS NULL AND "expires_at" IS NOT NULL`,
    );
    // The live-grants listing pages newest first by (created_at, id).
    await q.query(
      `CREATE INDEX "refresh_token_family_live_page" ON "auth"."refresh_token_family" ("integration_id", "created_at" DESC, "id" DESC) WHERE "revoked_at" IS NULL`,
    );
    await q.query(`CREATE INDEX "authorization_code_expires_at" ON "auth"."authorization_code" ("expires_at")`);
    await q.query(`CREATE INDEX "revoked_access_token_expires_at" ON "auth"."revoked_access_token" ("expires_at")`);
    // One row per integration and hour: replicas count in it with one atomic upsert each.
    await q.query(`CREATE TABLE "auth"."issuance_window" (
      "id" text PRIMARY KEY, "integration_id" uuid NOT NULL, "window_end" timestamptz NOT NULL, "issued" int NOT NULL)`);
    await q.query(`CREATE INDEX "issuance_window_end" ON "auth"."issuance_window" ("window_end")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "auth"."issuance_window"`);
    for (const index of [
      'revoked_access_token_expires_at',
      'authorization_code_expires_at',
      'refresh_token_family_live_page',
      'refresh_token_family_expires_at',
      'refresh_token_family_revoked_at',
      'processed_event_processed_at',
      'outbox_event_published',
    ]) {
      await q.query(`DROP INDEX "auth"."${index}"`);
    }
  }
}
