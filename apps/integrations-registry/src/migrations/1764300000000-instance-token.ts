import type { MigrationInterface, QueryRunner } from 'typeorm';

export class InstanceToken1764300000000 implements MigrationInterface {
  name = 'InstanceToken1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "registry"."platform_instance" ADD COLUMN "token_id" uuid`);
    await q.query(`CREATE UNIQUE INDEX "platform_instance_token_id" ON "registry"."platform_instance" ("token_id") WHERE "token_id" IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "registry"."platform_instance" DROP COLUMN "token_id"`);
  }
}
