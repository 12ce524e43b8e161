import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Integrations1764100000000 implements MigrationInterface {
  name = 'Integrations1764100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "registry"."integration" (
      "id" uuid PRIMARY KEY,
      "name" text NOT NULL CONSTRAINT "integration_name_unique" UNIQUE,
      "application_id" text NOT NULL CONSTRAINT "integration_application_id_unique" UNIQUE,
      "secret_hash" text NOT NULL,
      "previous_secret_hash" text,
      "previous_secret_valid_until" timestamptz,
      "redirect_uris" text[] NOT NULL DEFAULT '{}',
      "enabled" boolean NOT NULL DEFAULT true,
      "refresh_tokens_valid_until_revoked" boolean NOT NULL DEFAULT false,
      "permissions" text[] NOT NULL DEFAULT '{}',
      "access_token_ttl_seconds" int NOT NULL,
      "created_at" timestamptz NOT NULL DEFAULT now(),
      "updated_at" timestamptz NOT NULL DEFAULT now())`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "registry"."integration"`);
  }
}
