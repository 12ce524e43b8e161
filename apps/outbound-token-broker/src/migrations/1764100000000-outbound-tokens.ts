import type { MigrationInterface, QueryRunner } from 'typeorm';

export class OutboundTokens1764100000000 implements MigrationInterface {
  name = 'OutboundTokens1764100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "broker"."provider" (
      "id" uuid PRIMARY KEY, "name" text NOT NULL UNIQUE, "description" text, "docs_url" text,
      "grant_type" text NOT NULL CHECK ("grant_type" IN ('authorization_code', 'client_credentials', 'password')),
      "client_id" text NOT NULL, "client_secret_sealed" text,
      "authorization_url" text, "token_url" text NOT NULL, "refresh_url" text, "revocation_url" text,
      "scopes" text[] NOT NULL DEFAULT '{}', "scope_separator" text NOT NULL DEFAULT ' ',
      "client_auth_method" text NOT NULL DEFAULT 'client_secret_basic', "pkce" boolean NOT NULL DEFAULT true,
      "state_length" int NOT NULL DEFAULT 32, "prompt" text,
      "authorization_params" jsonb NOT NULL DEFAULT '{}'::jsonb, "token_params" jsonb NOT NULL DEFAULT '{}'::jsonb,
      "access_token_path" text NOT NULL DEFAULT 'access_token', "refresh_token_path" text NOT NULL DEFAULT 'refresh_token',
      "expires_in_path" text NOT NULL DEFAULT 'expires_in', "refresh_grant_param" text NOT NULL DEFAULT 'grant_type',
      "refresh_grant_value" text NOT NULL DEFAULT 'refresh_token', "refresh_params" jsonb NOT NULL DEFAULT '{}'::jsonb,
      "expires_in_unit" text NOT NULL DEFAULT 'seconds', "refresh_buffer_seconds" int NOT NULL DEFAULT 60,
      "timeout_seconds" int NOT NULL DEFAULT 30, "default_lifetime_seconds" int, "version" int NOT NULL,
      "created_at" timestamptz NOT NULL DEFAULT now(), "updated_at" timestamptz NOT NULL DEFAULT now())`);
    await queryRunner.query(`CREATE TABLE "broker"."outbound_token" (
      "id" uuid PRIMARY KEY, "name" text NOT NULL UNIQUE,
      "provider_id" uuid NOT NULL REFERENCES "broker"."provider" ("id") ON DELETE RESTRICT,
      "active" boolean NOT NULL DEFAULT true, "scopes" text[], "prompt" text, "variables" jsonb NOT NULL DEFAULT '{}'::jsonb,
      "base_url" text, "username" text, "password_sealed" text, "state" text NOT NULL,
      "token_type" text NOT NULL DEFAULT 'Bearer', "scope" text, "access_token_sealed" text, "refresh_token_sealed" text,
      "expires_at" timestamptz, "last_refreshed_at" timestamptz, "next_refresh_at" timestamptz, "last_message" text,
      "consecutive_failures" int NOT NULL DEFAULT 0, "last_transient_error" text,
      "created_at" timestamptz NOT NULL DEFAULT now(), "updated_at" timestamptz NOT NULL DEFAULT now())`);
    await queryRunner.query(`CREATE INDEX "outbound_token_due" ON "broker"."outbound_token" ("next_refresh_at") WHERE "next_refresh_at" IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX "outbound_token_provider" ON "broker"."outbound_token" ("provider_id")`);
    await queryRunner.query(`CREATE TABLE "broker"."authorization_request" (
      "state" text PRIMARY KEY, "token_id" uuid NOT NULL REFERENCES "broker"."outbound_token" ("id") ON DELETE CASCADE,
      "code_verifier_sealed" text, "created_at" timestamptz NOT NULL, "expires_at" timestamptz NOT NULL, "used_at" timestamptz)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "broker"."authorization_request"`);
    await queryRunner.query(`DROP TABLE "broker"."outbound_token"`);
    await queryRunner.query(`DROP TABLE "broker"."provider"`);
  }
}
