import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * How an integration authenticates (RFC 7591 `token_endpoint_auth_method`): a secret as before, or private_key_jwt with
 * a JWK Set or its URL, in which case it holds no secret at all (`secret_hash` may be null). And whether its access
 * tokens must be DPoP-bound (RFC 9449 §5.2).
 */
export class ClientAuthentication1765300000000 implements MigrationInterface {
  name = 'ClientAuthentication1765300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "registry"."integration" ADD COLUMN "token_endpoint_auth_method" text NOT NULL DEFAULT 'client_secret_basic'`);
    await q.query(`ALTER TABLE "registry"."integration" ADD COLUMN "jwks" jsonb`);
    await q.query(`ALTER TABLE "registry"."integration" ADD COLUMN "jwks_uri" text`);
    await q.query(`ALTER TABLE "registry"."integration" ADD COLUMN "dpop_bound_access_tokens" boolean NOT NULL DEFAULT false`);
    await q.query(`ALTER TABLE "registry"."integration" ALTER COLUMN "secret_hash" DROP NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM "registry"."integration" WHERE "secret_hash" IS NULL`);
    await q.query(`ALTER TABLE "registry"."integration" ALTER COLUMN "secret_hash" SET NOT NULL`);
    for (const column of ['dpop_bound_access_tokens', 'jwks_uri', 'jwks', 'token_endpoint_auth_method'])
      await q.query(`ALTER TABLE "registry"."integration" DROP COLUMN "${column}"`);
  }
}
