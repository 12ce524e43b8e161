import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Assertions signed by the broker: private_key_jwt at providers' token endpoints and the RFC 7523 JWT bearer grant
 * (its settings, and the provider's signing key: sealed private half, published public halves).
 */
export class ProviderSigningKeys1767700000000 implements MigrationInterface {
  name = 'ProviderSigningKeys1767700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "broker"."provider"
        ADD COLUMN "assertion_algorithm" text,
        ADD COLUMN "assertion_key_id" text,
        ADD COLUMN "assertion_audience" text,
        ADD COLUMN "assertion_subject" text,
        ADD COLUMN "assertion_scope" text NOT NULL DEFAULT 'param',
        ADD COLUMN "signing_key_sealed" text,
        ADD COLUMN "signing_keys" jsonb NOT NULL DEFAULT '[]'::jsonb`,
    );
    await queryRunner.query(`ALTER TABLE "broker"."provider" DROP CONSTRAINT IF EXISTS "provider_grant_type_check"`);
    await queryRunner.query(
      `ALTER TABLE "broker"."provider" ADD CONSTRAINT "provider_grant_type_check"
        CHECK ("grant_type" IN ('authorization_code', 'client_credentials', 'password', 'jwt_bearer'))`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM "broker"."provider" WHERE "grant_type" = 'jwt_bearer'`);
    await queryRunner.query(`ALTER TABLE "broker"."provider" DROP CONSTRAINT "provider_grant_type_check"`);
    await queryRunner.query(
      `ALTER TABLE "broker"."provider" ADD CONSTRAINT "provider_grant_type_check"
        CHECK ("grant_type" IN ('authorization_code', 'client_credentials', 'password'))`,
    );
    await queryRunner.query(
      `ALTER TABLE "broker"."provider" DROP COLUMN "assertion_algorithm", DROP COLUMN "assertion_key_id", DROP COLUMN "assertion_audience",
        DROP COLUMN "assertion_subject", DROP COLUMN "assertion_scope", DROP COLUMN "signing_key_sealed", DROP COLUMN "signing_keys"`,
    );
  }
}
