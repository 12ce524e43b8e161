import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Which platform instance a P2PI token acts on (docs/decisions/0016). Tokens the registry created before this column
 * existed are recognised by the name it gave them, `p2pi-<instance>-<4 characters>`, for an instance the broker knows.
 */
export class TokenPlatformInstance1765160000000 implements MigrationInterface {
  name = 'TokenPlatformInstance1765160000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "broker"."outbound_token" ADD COLUMN "platform_instance" text`);
    await queryRunner.query(`UPDATE "broker"."outbound_token" t SET "platform_instance" = p."name"
      FROM "broker"."peer_instance" p WHERE t."name" LIKE 'p2pi-' || p."name" || '-____'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "broker"."outbound_token" DROP COLUMN "platform_instance"`);
  }
}
