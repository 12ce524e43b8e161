import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Whose key signs a private_key_jwt provider's client assertions: its own (the default), or this platform's client
 * key in the registry. Every private_key_jwt provider made before the broker held keys of its own was a P2PI client
 * app signed by the platform's key, and says so from now on.
 */
export class AssertionSigner1768100000000 implements MigrationInterface {
  name = 'AssertionSigner1768100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "broker"."provider" ADD COLUMN "assertion_signer" text NOT NULL DEFAULT 'provider'`);
    await queryRunner.query(
      `UPDATE "broker"."provider" SET "assertion_signer" = 'platform'
        WHERE "client_auth_method" = 'private_key_jwt' AND "signing_keys" = '[]'::jsonb`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "broker"."provider" DROP COLUMN "assertion_signer"`);
  }
}
