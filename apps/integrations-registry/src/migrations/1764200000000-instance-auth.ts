import type { MigrationInterface, QueryRunner } from 'typeorm';

export class InstanceAuth1764200000000 implements MigrationInterface {
  name = 'InstanceAuth1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "registry"."platform_instance"
      ADD COLUMN "auth_type" text NOT NULL DEFAULT 'none',
      ADD COLUMN "client_app_id" uuid,
      ADD COLUMN "username" text,
      ADD COLUMN "password_sealed" text,
      ADD COLUMN "token" jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE "registry"."platform_instance" DROP COLUMN "auth_type", DROP COLUMN "client_app_id", DROP COLUMN "username", DROP COLUMN "password_sealed", DROP COLUMN "token"`,
    );
  }
}
