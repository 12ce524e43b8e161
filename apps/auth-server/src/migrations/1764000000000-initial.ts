import { createMessagingTables } from '@tessera/persistence';
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Initial1764000000000 implements MigrationInterface {
  name = 'Initial1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await createMessagingTables(queryRunner, 'auth');
    await queryRunner.query(`CREATE TABLE "auth"."known_instance" (
      "instance_id" uuid PRIMARY KEY, "name" text NOT NULL UNIQUE, "registered_at" timestamptz NOT NULL)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "auth"."known_instance"`);
    await queryRunner.query(`DROP TABLE "auth"."processed_event"`);
    await queryRunner.query(`DROP TABLE "auth"."outbox_event"`);
  }
}
