import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The keys this platform signs its client assertions with when it calls other platforms (P2PI without shared secrets). */
export class PlatformClientKeys1767800000001 implements MigrationInterface {
  name = 'PlatformClientKeys1767800000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "registry"."platform_client_key" (
      "kid" text PRIMARY KEY,
      "alg" text NOT NULL,
      "public_jwk" jsonb NOT NULL,
      "private_key_sealed" text NOT NULL,
      "created_at" timestamptz NOT NULL,
      "active_from" timestamptz NOT NULL,
      "retires_at" timestamptz)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "registry"."platform_client_key"`);
  }
}
