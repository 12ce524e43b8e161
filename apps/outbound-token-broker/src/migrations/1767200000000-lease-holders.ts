import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Who holds each lease, and which holders are alive (docs/decisions/0035): a dead holder's leases are taken over. */
export class LeaseHolders1767200000000 implements MigrationInterface {
  name = 'LeaseHolders1767200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "broker"."outbound_token" ADD COLUMN "lease_holder" uuid`);
    await queryRunner.query(`CREATE TABLE "broker"."lease_holder" ("id" uuid PRIMARY KEY, "alive_until" timestamptz NOT NULL)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "broker"."lease_holder"`);
    await queryRunner.query(`ALTER TABLE "broker"."outbound_token" DROP COLUMN "lease_holder"`);
  }
}
