import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The integration's revision (ADR 0013) and its refresh-token reuse interval. */
export class IntegrationRevision1764400000000 implements MigrationInterface {
  name = 'IntegrationRevision1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "registry"."integration" ADD COLUMN "revision" int NOT NULL DEFAULT 1`);
    await queryRunner.query(`ALTER TABLE "registry"."integration" ADD COLUMN "refresh_token_reuse_interval_seconds" int NOT NULL DEFAULT 30`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "registry"."integration" DROP COLUMN "refresh_token_reuse_interval_seconds"`);
    await queryRunner.query(`ALTER TABLE "registry"."integration" DROP COLUMN "revision"`);
  }
}
