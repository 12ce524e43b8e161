import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A refresh claim is a lease on the token's row (docs/decisions/0017), committed before the provider is called, instead
 * of a session advisory lock held on a pooled connection for the whole call. `refreshing` is no longer stored: it is
 * shown while a lease stands, so a crash cannot leave a token reading `refreshing` (or `valid`) forever.
 */
export class RefreshLeases1764200000000 implements MigrationInterface {
  name = 'RefreshLeases1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "broker"."outbound_token" ADD COLUMN "lease_id" uuid, ADD COLUMN "lease_until" timestamptz`);
    await queryRunner.query(`UPDATE "broker"."outbound_token" SET "state" = 'expired' WHERE "state" = 'refreshing'`);
    // The scheduler picks due tokens provider by provider (so one provider's backlog cannot hide another's) and counts
    // each provider's live leases.
    await queryRunner.query(
      `CREATE INDEX "outbound_token_provider_due" ON "broker"."outbound_token" ("provider_id", "next_refresh_at") WHERE "next_refresh_at" IS NOT NULL`,
    );
    await queryRunner.query(`CREATE INDEX "outbound_token_leased" ON "broker"."outbound_token" ("provider_id") WHERE "lease_until" IS NOT NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "broker"."outbound_token_leased"`);
    await queryRunner.query(`DROP INDEX "broker"."outbound_token_provider_due"`);
    await queryRunner.query(`ALTER TABLE "broker"."outbound_token" DROP COLUMN "lease_until", DROP COLUMN "lease_id"`);
  }
}
