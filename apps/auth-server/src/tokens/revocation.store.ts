import { Injectable } from '@nestjs/common';
import type { Transaction } from '@tessera/persistence';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';

/** What a revocation check needs of a validly signed access token. */
export interface RevocationCheck {
  jti: string;
  client_id: string;
  iat: number;
  fid?: string;
  cv?: number;
}

/** The SQL of revocations that are not a family's: one access token (`revoked_access_token`) or a whole client (`client_revocation`). */
/**
 * Where revocations that are not a family's are kept, in auth-server's words (ADR 0032): one access token
 * (`revoked_access_token`) or a whole client (`client_revocation`).
 */
export abstract class RevocationStore {
  /** A client-wide revocation at `at`; with `minRevision`, the first integration revision whose tokens stay valid. */
  abstract revokeClient(tx: Transaction, clientId: string, at: Date, minRevision: number | null): Promise<void>;
  /** When the client's tokens were last revoked client-wide, if ever. */
  abstract clientRevokedAt(clientId: string): Promise<Date | undefined>;
  /** Revokes one access token by jti; false if it already was. */
  abstract revokeAccessToken(tx: Transaction, token: { jti: string; clientId: string; expiresAt: Date; at: Date }): Promise<boolean>;
  /** Whether an access token has been revoked by jti, by its family or client-wide. */
  abstract isRevoked(claims: RevocationCheck): Promise<boolean>;
  /** Forgets revocations of access tokens that have expired anyway. */
  abstract pruneExpiredAccessTokens(now: Date): Promise<void>;
}

/** Revocations in auth-server's Postgres schema. */
@Injectable()
export class SqlRevocationStore extends RevocationStore {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    super();
  }

  /**
   * A client-wide revocation at `at`; with `minRevision`, the first integration revision whose tokens stay valid (it
   * only ever goes up, so a replayed older change cannot lower it).
   */
  async revokeClient(manager: EntityManager, clientId: string, at: Date, minRevision: number | null): Promise<void> {
    await manager.query(
      `INSERT INTO "auth"."client_revocation" ("client_id", "revoked_at", "min_revision") VALUES ($1, $2, $3)
       ON CONFLICT ("client_id") DO UPDATE SET "revoked_at" = EXCLUDED."revoked_at",
         "min_revision" = GREATEST("client_revocation"."min_revision", EXCLUDED."min_revision")`,
      [clientId, at, minRevision],
    );
  }

  /** When the client's tokens were last revoked client-wide, if ever. */
  async clientRevokedAt(clientId: string): Promise<Date | undefined> {
    const rows: { revoked_at: Date }[] = await this.dataSource.query(`SELECT "revoked_at" FROM "auth"."client_revocation" WHERE "client_id" = $1`, [clientId]);
    return rows[0]?.revoked_at;
  }

  /** Revokes one access token by jti; false if it already was. */
  async revokeAccessToken(manager: EntityManager, token: { jti: string; clientId: string; expiresAt: Date; at: Date }): Promise<boolean> {
    const inserted: unknown[] = await manager.query(
      `INSERT INTO "auth"."revoked_access_token" ("jti", "client_id", "expires_at", "revoked_at") VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING "jti"`,
      [token.jti, token.clientId, token.expiresAt, token.at],
    );
    return inserted.length > 0;
  }

  /**
   * Whether an access token has been revoked by jti, by its family or client-wide — client-wide by revision when both
   * the token and the revocation carry one (ADR 0013), else by issue time — in one round trip.
   */
  async isRevoked(claims: RevocationCheck): Promise<boolean> {
    const rows: { revoked: boolean }[] = await this.dataSource.query(
      `SELECT EXISTS (SELECT 1 FROM "auth"."revoked_access_token" WHERE "jti" = $1)
           OR EXISTS (SELECT 1 FROM "auth"."refresh_token_family" WHERE "id" = $2 AND "revoked_at" IS NOT NULL)
           OR EXISTS (SELECT 1 FROM "auth"."client_revocation" WHERE "client_id" = $3
                AND CASE WHEN $5::int IS NULL OR "min_revision" IS NULL THEN "revoked_at" >= to_timestamp($4) ELSE "min_revision" > $5::int END) AS "revoked"`,
      [claims.jti, claims.fid ?? null, claims.client_id, claims.iat, typeof claims.cv === 'number' ? claims.cv : null],
    );
    return rows[0].revoked;
  }

  /** Forgets revocations of access tokens that have expired anyway. */
  async pruneExpiredAccessTokens(now: Date): Promise<void> {
    await this.dataSource.query(`DELETE FROM "auth"."revoked_access_token" WHERE "expires_at" < $1`, [now]);
  }
}
