import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { BusError, Events, type AdminSessionView, type TokenResponse, type TokenRevokedEvent } from '@tessera/contracts';
import type { Clock } from '@tessera/observability';
import { EventOutbox } from '@tessera/persistence';
import { roleScope } from '@tessera/permissions';
import { CLOCK, RUNTIME, type ServiceRuntime } from '@tessera/runtime';
import { DataSource, type EntityManager } from 'typeorm';
import { MAX_ACCESS_TOKEN_TTL_MS, SigningKeysService } from '../keys/signing-keys.service.js';
import type { AdminUser } from './admin-user.entity.js';

/** The client id admin-console tokens carry (RFC 9068 requires one). */
const ADMIN_CLIENT_ID = 'tessera-admin';

interface SessionRow {
  id: string;
  user_id: string;
  started_at: Date;
  ends_at: Date;
  idle_expires_at: Date;
}

/**
 * Admin sessions: a sign-in starts one that lasts at most TESSERA_ADMIN_SESSION_HOURS; each token of it lives until
 * the session would go idle (TESSERA_ADMIN_IDLE_MINUTES), and the console renews it while it is in use. Every token of
 * a session carries its id as `fid`, so ending the session (sign-out, password change, role change, deletion) is one
 * `token.revoked {familyId}` that every verifier applies at once: revocation, not waiting for expiry.
 */
@Injectable()
export class AdminSessionsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly keys: SigningKeysService,
    private readonly outbox: EventOutbox,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(RUNTIME) private readonly runtime: ServiceRuntime,
  ) {}

  async start(manager: EntityManager, user: AdminUser, address: string): Promise<TokenResponse & { sessionId: string }> {
    const now = this.clock.now();
    const { maxMs, idleMs } = this.runtime.config.adminSessions;
    const session: SessionRow = {
      id: this.clock.uuid(),
      user_id: user.id,
      started_at: now,
      ends_at: new Date(now.getTime() + maxMs),
      idle_expires_at: new Date(now.getTime() + idleMs),
    };
    await manager.query(
      `INSERT INTO "auth"."admin_session" ("id", "user_id", "address", "started_at", "last_seen_at", "idle_expires_at", "ends_at") VALUES ($1, $2, $3, $4, $4, $5, $6)`,
      [session.id, user.id, address || null, now, session.idle_expires_at, session.ends_at],
    );
    return { ...(await this.issue(manager, user, session)), sessionId: session.id };
  }

  /** A fresh token for a live session that is in use: idle time starts again, never past the session's maximum. */
  async renew(sessionId: string): Promise<TokenResponse> {
    return this.dataSource.transaction(async (manager) => {
      const now = this.clock.now();
      const rows: (SessionRow & { username: string })[] = await manager.query(
        `UPDATE "auth"."admin_session" SET "last_seen_at" = $2, "idle_expires_at" = LEAST("ends_at", $3)
         WHERE "id" = $1 AND "ended_at" IS NULL AND "idle_expires_at" > $2 AND "ends_at" > $2
         RETURNING "id", "user_id", "started_at", "ends_at", "idle_expires_at"`,
        [sessionId, now, new Date(now.getTime() + this.runtime.config.adminSessions.idleMs)],
      );
      const [session] = Array.isArray(rows[0]) ? (rows[0] as SessionRow[]) : rows;
      if (!session) throw new BusError('unauthorized', 'The session has ended: sign in again');
      const users: AdminUser[] = await manager.query(
        `SELECT "id", "username", "role", "must_change_password" AS "mustChangePassword" FROM "auth"."admin_user" WHERE "id" = $1`,
        [session.user_id],
      );
      if (!users[0]) throw new BusError('unauthorized', 'The session has ended: sign in again');
      return this.issue(manager, users[0], session);
    });
  }

  async view(sessionId: string): Promise<AdminSessionView> {
    const rows: (SessionRow & { username: string; role: AdminUser['role']; must_change_password: boolean })[] = await this.dataSource.query(
      `SELECT s."id", s."user_id", s."started_at", s."ends_at", s."idle_expires_at", u."username", u."role", u."must_change_password"
       FROM "auth"."admin_session" s JOIN "auth"."admin_user" u ON u."id" = s."user_id" WHERE s."id" = $1 AND s."ended_at" IS NULL`,
      [sessionId],
    );
    const row = rows[0];
    if (!row) throw new BusError('not_found', 'No such session');
    return {
      sessionId: row.id,
      userId: row.user_id,
      username: row.username,
      role: row.role,
      mustChangePassword: row.must_change_password,
      startedAt: row.started_at.toISOString(),
      endsAt: row.ends_at.toISOString(),
      idleExpiresAt: row.idle_expires_at.toISOString(),
    };
  }

  /** Ends one session now; false when it had ended already. */
  async end(manager: EntityManager, sessionId: string, reason: TokenRevokedEvent['reason']): Promise<boolean> {
    const ended = await this.endWhere(manager, `"id" = $1`, [sessionId], reason);
    return ended > 0;
  }

  /** Ends every live session of a user (password change or reset, role change, deletion); how many there were. */
  endAllOf(manager: EntityManager, userId: string, reason: TokenRevokedEvent['reason']): Promise<number> {
    return this.endWhere(manager, `"user_id" = $1`, [userId], reason);
  }

  private async endWhere(manager: EntityManager, where: string, params: unknown[], reason: TokenRevokedEvent['reason']): Promise<number> {
    const now = this.clock.now();
    const result: unknown[] = await manager.query(
      `UPDATE "auth"."admin_session" SET "ended_at" = $${params.length + 1}, "ended_reason" = $${params.length + 2} WHERE ${where} AND "ended_at" IS NULL RETURNING "id"`,
      [...params, now, reason],
    );
    const ended = (Array.isArray(result[0]) ? result[0] : result) as { id: string }[];
    const expiresAt = new Date(now.getTime() + MAX_ACCESS_TOKEN_TTL_MS).toISOString();
    await this.outbox.recordMany(
      manager,
      ended.map(({ id }) => ({
        type: Events.tokenRevoked,
        data: { familyId: id, clientId: ADMIN_CLIENT_ID, reason, revokedAt: now.toISOString(), expiresAt } satisfies TokenRevokedEvent,
      })),
    );
    return ended.length;
  }

  private async issue(
    manager: EntityManager,
    user: Pick<AdminUser, 'id' | 'username' | 'role' | 'mustChangePassword'>,
    session: SessionRow,
  ): Promise<TokenResponse> {
    // A token issued in the same second as a client-wide revocation of admin tokens (the reset command of earlier
    // versions) must outlive it (verifiers deny iat ≤ its second): such a token is dated the next second.
    const rows: { revoked_at: Date }[] = await manager.query(`SELECT "revoked_at" FROM "auth"."client_revocation" WHERE "client_id" = $1`, [ADMIN_CLIENT_ID]);
    const revokedSecond = rows[0] ? Math.floor(rows[0].revoked_at.getTime() / 1000) : 0;
    const iat = Math.max(Math.floor(this.clock.now().getTime() / 1000), revokedSecond + 1);
    const exp = Math.max(iat + 1, Math.floor(Math.min(session.idle_expires_at.getTime(), session.ends_at.getTime()) / 1000));
    // Until a one-time password is replaced the token holds no role: it can change the password and sign out, nothing else.
    const scope = user.mustChangePassword ? '' : roleScope(user.role);
    const token = this.keys.sign({
      iss: this.runtime.config.issuer,
      sub: `admin:${user.username}`,
      aud: this.runtime.config.issuer,
      client_id: ADMIN_CLIENT_ID,
      scope,
      jti: this.clock.uuid(),
      iat,
      exp,
      fid: session.id,
      uid: user.id,
    });
    return {
      access_token: token,
      token_type: 'Bearer',
      expires_in: exp - iat,
      scope,
      ...(user.mustChangePassword ? { must_change_password: true as const } : {}),
    };
  }
}
