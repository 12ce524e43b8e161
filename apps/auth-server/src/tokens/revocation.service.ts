import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Events, type TokenRevokedEvent } from '@tessera/contracts';
import { AuditTrail, EventOutbox, type Clock } from '@tessera/persistence';
import { CLOCK } from '@tessera/runtime';
import { DataSource, type EntityManager } from 'typeorm';
import { MAX_ACCESS_TOKEN_TTL_MS } from '../keys/signing-keys.service.js';

export interface AccessTokenClaims {
  jti: string;
  client_id: string;
  iat: number;
  exp: number;
  fid?: string;
  cv?: number;
}

/**
 * Every revocation is written with its `tessera.events.token.revoked` event in one transaction, so verifiers
 * everywhere learn of it within moments (never the token itself in the event).
 */
@Injectable()
export class RevocationService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: EventOutbox,
    private readonly audit: AuditTrail,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  private horizon(now: Date): string {
    return new Date(now.getTime() + MAX_ACCESS_TOKEN_TTL_MS).toISOString();
  }

  /** Revokes a family (and so every refresh and access token it produced); false if it was already revoked. */
  async revokeFamily(manager: EntityManager, familyId: string, reason: TokenRevokedEvent['reason']): Promise<boolean> {
    const now = this.clock.now();
    const rows: { client_id: string }[] = await manager.query(
      `UPDATE "auth"."refresh_token_family" SET "revoked_at" = $2, "revoked_reason" = $3 WHERE "id" = $1 AND "revoked_at" IS NULL RETURNING "client_id"`,
      [familyId, now, reason],
    );
    const [family] = Array.isArray(rows[0]) ? (rows[0] as { client_id: string }[]) : rows;
    if (!family) return false;
    await this.outbox.record<TokenRevokedEvent>(manager, Events.tokenRevoked, { familyId, clientId: family.client_id, reason, revokedAt: now.toISOString(), expiresAt: this.horizon(now) });
    // A revocation nobody asked for (re-use, a replayed code) is a security event; an admin's is recorded as their action.
    if (reason === 'refresh_token_reuse' || reason === 'code_replay') {
      await this.audit.record(manager, { action: 'security.family_revoked', outcome: 'failure', target: { type: 'grant', id: familyId, name: family.client_id }, detail: { reason } });
    }
    return true;
  }

  /**
   * Revokes everything a client holds: its families (unless `accessTokensOnly`), and every access token issued to it
   * before the change of integration revision `revision` — by revision, so also those a replica still holding the old
   * record issued after the change (ADR 0013); tokens without a revision by issue time.
   */
  async revokeClient(manager: EntityManager, clientId: string, reason: TokenRevokedEvent['reason'], options: { revision?: number; accessTokensOnly?: boolean } = {}): Promise<void> {
    const now = this.clock.now();
    if (!options.accessTokensOnly) {
      await manager.query(
        `UPDATE "auth"."refresh_token_family" SET "revoked_at" = $2, "revoked_reason" = $3 WHERE "client_id" = $1 AND "revoked_at" IS NULL`,
        [clientId, now, reason],
      );
    }
    await manager.query(
      `INSERT INTO "auth"."client_revocation" ("client_id", "revoked_at", "min_revision") VALUES ($1, $2, $3)
       ON CONFLICT ("client_id") DO UPDATE SET "revoked_at" = EXCLUDED."revoked_at",
         "min_revision" = GREATEST("client_revocation"."min_revision", EXCLUDED."min_revision")`,
      [clientId, now, options.revision ?? null],
    );
    await this.outbox.record<TokenRevokedEvent>(manager, Events.tokenRevoked, {
      clientId, reason, revokedAt: now.toISOString(), ...(options.revision !== undefined ? { clientRevision: options.revision } : {}), expiresAt: this.horizon(now),
    });
  }

  async revokeAccessToken(claims: AccessTokenClaims, reason: TokenRevokedEvent['reason']): Promise<void> {
    const now = this.clock.now();
    const expiresAt = new Date(claims.exp * 1000);
    await this.dataSource.transaction(async (manager) => {
      const inserted: unknown[] = await manager.query(
        `INSERT INTO "auth"."revoked_access_token" ("jti", "client_id", "expires_at", "revoked_at") VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING "jti"`,
        [claims.jti, claims.client_id, expiresAt, now],
      );
      if (!inserted.length) return;
      await this.outbox.record<TokenRevokedEvent>(manager, Events.tokenRevoked, { jti: claims.jti, clientId: claims.client_id, reason, revokedAt: now.toISOString(), expiresAt: expiresAt.toISOString() });
    });
    void this.outbox.flush();
  }

  /** Whether a validly signed, unexpired access token has since been revoked (by jti, family or client). */
  async isRevoked(claims: AccessTokenClaims): Promise<boolean> {
    const rows: { revoked: boolean }[] = await this.dataSource.query(
      `SELECT EXISTS (SELECT 1 FROM "auth"."revoked_access_token" WHERE "jti" = $1)
           OR EXISTS (SELECT 1 FROM "auth"."refresh_token_family" WHERE "id" = $2 AND "revoked_at" IS NOT NULL)
           OR EXISTS (SELECT 1 FROM "auth"."client_revocation" WHERE "client_id" = $3
                AND CASE WHEN $5::int IS NULL OR "min_revision" IS NULL THEN "revoked_at" >= to_timestamp($4) ELSE "min_revision" > $5::int END) AS "revoked"`,
      [claims.jti, claims.fid ?? null, claims.client_id, claims.iat, typeof claims.cv === 'number' ? claims.cv : null],
    );
    return rows[0].revoked;
  }

  /** Forgets revocations of tokens that have expired anyway. */
  async prune(): Promise<void> {
    await this.dataSource.query(`DELETE FROM "auth"."revoked_access_token" WHERE "expires_at" < $1`, [this.clock.now()]);
  }
}
