import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Tokens1764100000000 implements MigrationInterface {
  name = 'Tokens1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "auth"."signing_key" (
      "kid" text PRIMARY KEY, "alg" text NOT NULL, "public_jwk" jsonb NOT NULL, "private_jwk_sealed" text NOT NULL,
      "created_at" timestamptz NOT NULL DEFAULT now(), "retired_at" timestamptz)`);
    await q.query(`CREATE TABLE "auth"."refresh_token_family" (
      "id" uuid PRIMARY KEY, "integration_id" uuid NOT NULL, "client_id" text NOT NULL, "subject" text NOT NULL,
      "scope" text NOT NULL, "grant_type" text NOT NULL, "created_at" timestamptz NOT NULL, "last_used_at" timestamptz,
      "expires_at" timestamptz, "revoked_at" timestamptz, "revoked_reason" text)`);
    await q.query(`CREATE INDEX "refresh_token_family_live" ON "auth"."refresh_token_family" ("integration_id") WHERE "revoked_at" IS NULL`);
    await q.query(`CREATE INDEX "refresh_token_family_client" ON "auth"."refresh_token_family" ("client_id") WHERE "revoked_at" IS NULL`);
    await q.query(`CREATE TABLE "auth"."refresh_token" (
      "token_hash" text PRIMARY KEY, "family_id" uuid NOT NULL REFERENCES "auth"."refresh_token_family"("id") ON DELETE CASCADE,
      "created_at" timestamptz NOT NULL, "rotated_at" timestamptz)`);
    await q.query(`CREATE INDEX "refresh_token_family_id" ON "auth"."refresh_token" ("family_id")`);
    await q.query(`CREATE TABLE "auth"."revoked_access_token" (
      "jti" uuid PRIMARY KEY, "client_id" text NOT NULL, "expires_at" timestamptz NOT NULL, "revoked_at" timestamptz NOT NULL)`);
    await q.query(`CREATE TABLE "auth"."client_revocation" ("client_id" text PRIMARY KEY, "revoked_at" timestamptz NOT NULL)`);
    await q.query(`CREATE TABLE "auth"."authorization_code" (
      "code_hash" text PRIMARY KEY, "client_id" text NOT NULL, "redirect_uri" text NOT NULL, "scope" text NOT NULL,
      "code_challenge" text NOT NULL, "subject" text NOT NULL, "resource" text, "expires_at" timestamptz NOT NULL,
      "used_at" timestamptz, "family_id" uuid)`);
    await q.query(`CREATE TABLE "auth"."admin_user" (
      "username" text PRIMARY KEY, "password_hash" text NOT NULL, "created_at" timestamptz NOT NULL DEFAULT now())`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'admin_user',
      'authorization_code',
      'client_revocation',
      'revoked_access_token',
      'refresh_token',
      'refresh_token_family',
      'signing_key',
    ]) {
      await q.query(`DROP TABLE "auth"."${table}"`);
    }
  }
}
