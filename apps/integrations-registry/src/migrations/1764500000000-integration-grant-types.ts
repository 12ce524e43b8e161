import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Allowed grant types per integration. Existing integrations keep every grant, except the ones created for platform
 * instances (P2PI, recognisable by the name `POST /admin/instances/:id/integration` gives them): those lose
 * client_credentials, which would get the instance's scope without the other admin's consent.
 */
export class IntegrationGrantTypes1764500000000 implements MigrationInterface {
  name = 'IntegrationGrantTypes1764500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "registry"."integration"
      ADD COLUMN "grant_types" text[] NOT NULL DEFAULT '{client_credentials,authorization_code,refresh_token}'`);
    await queryRunner.query(`UPDATE "registry"."integration" SET "grant_types" = '{authorization_code,refresh_token}' WHERE "name" LIKE 'Platform instance %'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "registry"."integration" DROP COLUMN "grant_types"`);
  }
}
