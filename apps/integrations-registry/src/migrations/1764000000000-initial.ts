import { createMessagingTables } from '@tessera/persistence';
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Initial1764000000000 implements MigrationInterface {
  name = 'Initial1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await createMessagingTables(queryRunner, 'registry');
    await queryRunner.query(`CREATE TABLE "registry"."platform_instance" (
      "id" uuid PRIMARY KEY, "name" text NOT NULL UNIQUE, "base_url" text NOT NULL,
      "created_at" timestamptz NOT NULL DEFAULT now(), "updated_at" timestamptz NOT NULL DEFAULT now())`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "registry"."platform_instance"`);
    await queryRunner.query(`DROP TABLE "registry"."processed_event"`);
    await queryRunner.query(`DROP TABLE "registry"."outbox_event"`);
  }
}
