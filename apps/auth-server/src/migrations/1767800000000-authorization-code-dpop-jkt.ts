import type { MigrationInterface, QueryRunner } from 'typeorm';

/** RFC 9449 §10: an authorization code may be bound to the DPoP key its client named in the authorization request. */
export class AuthorizationCodeDpopJkt1767800000000 implements MigrationInterface {
  name = 'AuthorizationCodeDpopJkt1767800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "auth"."authorization_code" ADD COLUMN "dpop_jkt" text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "auth"."authorization_code" DROP COLUMN "dpop_jkt"`);
  }
}
