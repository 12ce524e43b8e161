import { Injectable } from '@nestjs/common';
import type { Transaction } from '@tessera/persistence';
import { InjectDataSource } from '@nestjs/typeorm';
import type { TokenRevokedEvent } from '@tessera/contracts';
import { DataSource, type EntityManager } from 'typeorm';
import { RefreshTokenFamily } from './refresh-token-family.entity.js';

/** A new refresh-token family and its first refresh token (stored hashed). */
export interface NewFamily {
  id: string;
  integrationId: string;
  clientId: string;
  subject: string;
  scope: string;
  grantType: string;
  createdAt: Date;
  expiresAt: Date | null;
  tokenHash: string;
  /** The integration revision of the client record the grant was decided on; stored only if still current. */
  clientRevision: number;
}

/** Where a presented refresh token stands in its rotation chain. */
export interface RotationState {
  rotated_at: Date | null;
  superseded_at: Date | null;
  replaced_by: string | null;
  successor_rotated_at: Date | null;
  successor_superseded_at: Date | null;
  client_revision: number | null;
}

export interface FamilyRow {
  id: string;
  integration_id: string;
  client_id: string;
  subject: string;
  scope: string;
  grant_type: string;
  created_at: Date;
  last_used_at: Date | null;
  expires_at: Date | null;
  revoked_at: Date | null;
}

/**
 * The families and their first refresh tokens in one statement. A grant decided on a client record older than the
 * client's latest applied change (its revision barrier, ADR 0013) is left out — checked in the same statement, so it
 * costs no round trip — and its caller told so; the others are stored all or nothing.
 */
const INSERT_FAMILIES = `
  WITH input AS (
    SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[], $8::timestamptz[], $9::text[], $10::int[])
      AS t("id", "integration_id", "client_id", "subject", "scope", "grant_type", "created_at", "expires_at", "token_hash", "client_revision")
  ), family AS (
    INSERT INTO "auth"."refresh_token_family" ("id", "integration_id", "client_id", "subject", "scope", "grant_type", "created_at", "expires_at")
    SELECT "id", "integration_id", "client_id", "subject", "scope", "grant_type", "created_at", "expires_at" FROM input
     WHERE NOT EXISTS (SELECT 1 FROM "auth"."client_revision" r WHERE r."client_id" = input."client_id" AND r."revision" > input."client_revision")
    RETURNING "id"
  )
  INSERT INTO "auth"."refresh_token" ("token_hash", "family_id", "created_at")
  SELECT input."token_hash", family."id", input."created_at" FROM input JOIN family ON family."id" = input."id" RETURNING "family_id"`;

function columns(families: NewFamily[]): unknown[] {
  return [
    families.map((f) => f.id),
    families.map((f) => f.integrationId),
    families.map((f) => f.clientId),
    families.map((f) => f.subject),
    families.map((f) => f.scope),
    families.map((f) => f.grantType),
    families.map((f) => f.createdAt.toISOString()),
    families.map((f) => f.expiresAt?.toISOString() ?? null),
    families.map((f) => f.tokenHash),
    families.map((f) => f.clientRevision),
  ];
}

/** Rows of an UPDATE … RETURNING: TypeORM answers [rows, count] for an UPDATE, rows for the rest. */
function returned<T>(result: unknown): T[] {
  const rows = result as unknown[];
  return (Array.isArray(rows[0]) ? rows[0] : rows) as T[];
}

/** The SQL of the refresh-token family aggregate: a grant (`refresh_token_family`) and its rotation chain (`refresh_token`). */
/**
 * Where grants are kept, in auth-server's words (ADR 0032): a grant (`refresh_token_family`) and its rotation chain
 * (`refresh_token`). Changes that go with an event take the caller's transaction.
 */
export abstract class RefreshTokenFamilyStore {
  /** A grant of the integration, revoked or not. */
  abstract get(integrationId: string, familyId: string): Promise<RefreshTokenFamily | null>;
  /** Stores new families inside the caller's transaction; answers the ids stored (the others were decided on a stale record). */
  abstract insert(tx: Transaction, families: NewFamily[]): Promise<Set<string>>;
  /** The same on its own, as one prepared statement (the group commit's write). */
  abstract insertPrepared(families: NewFamily[]): Promise<Set<string>>;
  /** The presented refresh token's family, its rotation state and its client's revision barrier, locked. */
  abstract lockForRotation(tx: Transaction, tokenHash: string): Promise<(FamilyRow & RotationState) | undefined>;
  /** A rotation's writes. */
  abstract rotate(tx: Transaction, rotation: { familyId: string; presentedHash: string; nextHash: string; supersede: string | null; at: Date }): Promise<void>;
  /** The live family of a current (not yet rotated) refresh token, for introspection. */
  abstract liveByToken(
    tokenHash: string,
    now: Date,
  ): Promise<Pick<FamilyRow, 'id' | 'client_id' | 'subject' | 'scope' | 'created_at' | 'expires_at'> | undefined>;
  /** An integration's live grants, newest first, keyset-paged on (created_at, id). */
  abstract listLive(integrationId: string, now: Date, limit: number, after?: [Date, string]): Promise<Omit<FamilyRow, 'subject' | 'revoked_at'>[]>;
  /** Revokes one family; its client id, or undefined if it was already revoked (or never existed). */
  abstract revoke(tx: Transaction, familyId: string, at: Date, reason: TokenRevokedEvent['reason']): Promise<string | undefined>;
  /** Revokes every live family of a client. */
  abstract revokeAllOfClient(tx: Transaction, clientId: string, at: Date, reason: TokenRevokedEvent['reason']): Promise<void>;
}

/** Grants in auth-server's Postgres schema. */
@Injectable()
export class SqlRefreshTokenFamilyStore extends RefreshTokenFamilyStore {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    super();
  }

  /** A grant of the integration, revoked or not. */
  get(integrationId: string, familyId: string): Promise<RefreshTokenFamily | null> {
    return this.dataSource.getRepository(RefreshTokenFamily).findOneBy({ id: familyId, integrationId });
  }

  /** Stores new families inside the caller's transaction; answers the ids stored (the others were decided on a stale record). */
  async insert(manager: EntityManager, families: NewFamily[]): Promise<Set<string>> {
    const rows: { family_id: string }[] = await manager.query(INSERT_FAMILIES, columns(families));
    return new Set(rows.map((row) => row.family_id));
  }

  /**
   * The same as one named prepared statement for any batch size (arrays, not a VALUES list per size): each pooled
   * connection has Postgres parse and plan it once. TypeORM's query() cannot name a statement, so this uses the
   * runner's pg client. (Behind a transaction-mode pooler such as PgBouncer < 1.21, named statements need its
   * prepared-statement support.)
   */
  async insertPrepared(families: NewFamily[]): Promise<Set<string>> {
    const runner = this.dataSource.createQueryRunner();
    try {
      const client: { query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: { family_id: string }[] }> } = await runner.connect();
      const result = await client.query({ name: 'auth_issue_refresh_token_families_v2', text: INSERT_FAMILIES, values: columns(families) });
      return new Set(result.rows.map((row) => row.family_id));
    } finally {
      await runner.release();
    }
  }

  /**
   * The presented refresh token's family, its rotation state and its client's revision barrier, locked: locking the
   * family serialises every rotation of it, so the successor read here cannot change underneath.
   */
  async lockForRotation(manager: EntityManager, tokenHash: string): Promise<(FamilyRow & RotationState) | undefined> {
    const rows: (FamilyRow & RotationState)[] = await manager.query(
      `SELECT f.*, t."rotated_at", t."superseded_at", t."replaced_by", s."rotated_at" AS "successor_rotated_at", s."superseded_at" AS "successor_superseded_at",
              (SELECT r."revision" FROM "auth"."client_revision" r WHERE r."client_id" = f."client_id") AS "client_revision"
         FROM "auth"."refresh_token" t JOIN "auth"."refresh_token_family" f ON f."id" = t."family_id"
         LEFT JOIN "auth"."refresh_token" s ON s."token_hash" = t."replaced_by"
        WHERE t."token_hash" = $1 FOR UPDATE OF t, f`,
      [tokenHash],
    );
    return rows[0];
  }

  /**
   * The rotation's writes in one statement: one round trip inside the transaction. A retry keeps the first rotation
   * time and supersedes the successor nobody used (`supersede`).
   */
  async rotate(
    manager: EntityManager,
    rotation: { familyId: string; presentedHash: string; nextHash: string; supersede: string | null; at: Date },
  ): Promise<void> {
    await manager.query(
      `WITH rotated AS (UPDATE "auth"."refresh_token" SET "rotated_at" = COALESCE("rotated_at", $2), "replaced_by" = $4 WHERE "token_hash" = $1),
            superseded AS (UPDATE "auth"."refresh_token" SET "superseded_at" = $2 WHERE "token_hash" = $5),
            used AS (UPDATE "auth"."refresh_token_family" SET "last_used_at" = $2 WHERE "id" = $3)
       INSERT INTO "auth"."refresh_token" ("token_hash", "family_id", "created_at") VALUES ($4, $3, $2)`,
      [rotation.presentedHash, rotation.at, rotation.familyId, rotation.nextHash, rotation.supersede],
    );
  }

  /** The live family of a current (not yet rotated) refresh token, for introspection. */
  async liveByToken(
    tokenHash: string,
    now: Date,
  ): Promise<Pick<FamilyRow, 'id' | 'client_id' | 'subject' | 'scope' | 'created_at' | 'expires_at'> | undefined> {
    const rows: Pick<FamilyRow, 'id' | 'client_id' | 'subject' | 'scope' | 'created_at' | 'expires_at'>[] = await this.dataSource.query(
      `SELECT f."id", f."client_id", f."subject", f."scope", f."created_at", f."expires_at" FROM "auth"."refresh_token" t
         JOIN "auth"."refresh_token_family" f ON f."id" = t."family_id"
        WHERE t."token_hash" = $1 AND t."rotated_at" IS NULL AND t."superseded_at" IS NULL AND f."revoked_at" IS NULL AND (f."expires_at" IS NULL OR f."expires_at" > $2)`,
      [tokenHash, now],
    );
    return rows[0];
  }

  /** An integration's live grants, newest first, keyset-paged on (created_at, id): one index range scan per page. */
  listLive(integrationId: string, now: Date, limit: number, after?: [Date, string]): Promise<Omit<FamilyRow, 'subject' | 'revoked_at'>[]> {
    return this.dataSource.query(
      `SELECT "id", "integration_id", "client_id", "scope", "grant_type", "created_at", "last_used_at", "expires_at"
         FROM "auth"."refresh_token_family"
        WHERE "integration_id" = $1 AND "revoked_at" IS NULL AND ("expires_at" IS NULL OR "expires_at" > $2)
          ${after ? 'AND ("created_at", "id") < ($4, $5)' : ''}
        ORDER BY "created_at" DESC, "id" DESC LIMIT $3`,
      [integrationId, now, limit, ...(after ?? [])],
    );
  }

  /** Revokes one family; its client id, or undefined if it was already revoked (or never existed). */
  async revoke(manager: EntityManager, familyId: string, at: Date, reason: TokenRevokedEvent['reason']): Promise<string | undefined> {
    const rows = returned<{ client_id: string }>(
      await manager.query(
        `UPDATE "auth"."refresh_token_family" SET "revoked_at" = $2, "revoked_reason" = $3 WHERE "id" = $1 AND "revoked_at" IS NULL RETURNING "client_id"`,
        [familyId, at, reason],
      ),
    );
    return rows[0]?.client_id;
  }

  /** Revokes every live family of a client. */
  async revokeAllOfClient(manager: EntityManager, clientId: string, at: Date, reason: TokenRevokedEvent['reason']): Promise<void> {
    await manager.query(`UPDATE "auth"."refresh_token_family" SET "revoked_at" = $2, "revoked_reason" = $3 WHERE "client_id" = $1 AND "revoked_at" IS NULL`, [
      clientId,
      at,
      reason,
    ]);
  }
}
