import type { MigrationInterface, QueryRunner } from 'typeorm';

/** When a receiver last asked for a verification event, so a request sooner than `min_verification_interval` is refused. */
export class SsfVerificationInterval1768000000001 implements MigrationInterface {
  name = 'SsfVerificationInterval1768000000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "auth"."ssf_stream" ADD COLUMN "last_verification_at" timestamptz`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "auth"."ssf_stream" DROP COLUMN "last_verification_at"`);
  }
}
