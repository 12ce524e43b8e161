import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The names deleted tokens held, and their providers (docs/decisions/0026). */
export class RetiredTokenNames1767100000000 implements MigrationInterface {
  name = 'RetiredTokenNames1767100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "broker"."retired_token_name" ("name" text PRIMARY KEY, "provider_id" uuid NOT NULL, "retired_at" timestamptz NOT NULL)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "broker"."retired_token_name"`);
  }
}
