import { createMessagingTables } from '@tessera/persistence';
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Initial1764000000000 implements MigrationInterface {
  name = 'Initial1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await createMessagingTables(queryRunner, 'broker');
    await queryRunner.query(`CREATE TABLE "broker"."peer_instance" (
      "instance_id" uuid PRIMARY KEY, "name" text NOT NULL UNIQUE, "base_url" text NOT NULL)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "broker"."peer_instance"`);
    await queryRunner.query(`DROP TABLE "broker"."processed_event"`);
    await queryRunner.query(`DROP TABLE "broker"."outbox_event"`);
  }
}
