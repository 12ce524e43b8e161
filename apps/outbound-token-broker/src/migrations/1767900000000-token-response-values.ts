import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Values a provider's token answers carry for the token's URLs (Salesforce's instance_url, Pipedrive's api_domain):
 * where a provider's answers hold them and the domain a host-filling one stays on, and each token's latest values.
 */
export class TokenResponseValues1767900000000 implements MigrationInterface {
  name = 'TokenResponseValues1767900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "broker"."provider"
        ADD COLUMN "token_response_variables" jsonb NOT NULL DEFAULT '{}'::jsonb,
        ADD COLUMN "token_response_hosts" jsonb NOT NULL DEFAULT '{}'::jsonb`,
    );
    await queryRunner.query(`ALTER TABLE "broker"."outbound_token" ADD COLUMN "response_values" jsonb NOT NULL DEFAULT '{}'::jsonb`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "broker"."outbound_token" DROP COLUMN "response_values"`);
    await queryRunner.query(`ALTER TABLE "broker"."provider" DROP COLUMN "token_response_variables", DROP COLUMN "token_response_hosts"`);
  }
}
