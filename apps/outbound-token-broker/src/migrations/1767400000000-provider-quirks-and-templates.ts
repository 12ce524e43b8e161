import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The quirks the catalog's templates need (issue 22: request formats, a client-credentials grant_type of the
 * provider's, absolute expiries, errors answered with 200, API token headers), the template a provider was made from,
 * and admins' own templates.
 */
export class ProviderQuirksAndTemplates1767400000000 implements MigrationInterface {
  name = 'ProviderQuirksAndTemplates1767400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "broker"."provider"
        ADD COLUMN "client_credentials_grant_type" text,
        ADD COLUMN "token_request_format" text NOT NULL DEFAULT 'form',
        ADD COLUMN "revocation_request_format" text NOT NULL DEFAULT 'form',
        ADD COLUMN "expires_at_path" text,
        ADD COLUMN "error_path" text,
        ADD COLUMN "error_path_ok_value" text,
        ADD COLUMN "api_token_header" text,
        ADD COLUMN "api_token_prefix" text,
        ADD COLUMN "api_headers" jsonb NOT NULL DEFAULT '{}'::jsonb,
        ADD COLUMN "template_id" text,
        ADD COLUMN "template_version" int,
        ADD COLUMN "template_variables" jsonb`,
    );
    await queryRunner.query(
      `CREATE TABLE "broker"."custom_template" ("id" text PRIMARY KEY, "version" int NOT NULL, "template" jsonb NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(), "updated_at" timestamptz NOT NULL DEFAULT now())`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "broker"."custom_template"`);
    await queryRunner.query(
      `ALTER TABLE "broker"."provider" DROP COLUMN "client_credentials_grant_type", DROP COLUMN "token_request_format",
        DROP COLUMN "revocation_request_format", DROP COLUMN "expires_at_path", DROP COLUMN "error_path", DROP COLUMN "error_path_ok_value",
        DROP COLUMN "api_token_header", DROP COLUMN "api_token_prefix", DROP COLUMN "api_headers", DROP COLUMN "template_id",
        DROP COLUMN "template_version", DROP COLUMN "template_variables"`,
    );
  }
}
