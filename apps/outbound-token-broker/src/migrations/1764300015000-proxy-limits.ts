import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Per-token proxy timeouts and response size cap (ADR 0015); `{}` means the gateway's defaults. */
export class ProxyLimits1764300015000 implements MigrationInterface {
  name = 'ProxyLimits1764300015000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "broker"."outbound_token" ADD COLUMN "proxy_limits" jsonb NOT NULL DEFAULT '{}'::jsonb`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "broker"."outbound_token" DROP COLUMN "proxy_limits"`);
  }
}
