import { Inject, Injectable } from '@nestjs/common';
import { BusError, Events, type AdminSessionView, type TokenResponse, type TokenRevokedEvent } from '@tessera/contracts';
import type { Clock } from '@tessera/observability';
import { EventOutbox, Transactions, type Transaction } from '@tessera/persistence';
import { roleScope } from '@tessera/permissions';
import { CLOCK, RUNTIME, type ServiceRuntime } from '@tessera/runtime';
import { MAX_ACCESS_TOKEN_TTL_MS, SigningKeysService } from '../keys/signing-keys.service.js';
import { AdminSessionStore, type SessionRow } from './admin-session.store.js';
import type { AdminUser } from './admin-user.entity.js';
import { AdminUserStore } from './admin-user.store.js';

/** The client id admin-console tokens carry (RFC 9068 requires one). */
const ADMIN_CLIENT_ID = 'tessera-admin';

/**
 * Admin sessions: a sign-in starts one that lasts at most TESSERA_ADMIN_SESSION_HOURS; each token of it lives until
 * the session would go idle (TESSERA_ADMIN_IDLE_MINUTES), and the console renews it while it is in use. Every token of
 * a session carries its id as `fid`, so ending the session (sign-out, password change, role change, deletion) is one
 * `token.revoked {familyId}` that every verifier applies at once: revocation, not waiting for expiry.
 */
@Injectable()
export class AdminSessionsService {
  constructor(
    private readonly transactions: Transactions,
    private readonly store: AdminSessionStore,
    private readonly users: AdminUserStore,
    private readonly keys: SigningKeysService,
    private readonly outbox: EventOutbox,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(RUNTIME) private readonly runtime: ServiceRuntime,
  ) {}

  async start(manager: Transaction, user: AdminUser, address: string): Promise<TokenResponse & { sessionId: string }> {
    const now = this.clock.now();
    const { maxMs, idleMs } = this.runtime.config.adminSessions;
    const session: SessionRow = {
      id: this.clock.uuid(),
      user_id: user.id,
      started_at: now,
      ends_at: new Date(now.getTime() + maxMs),
      idle_expires_at: new Date(now.getTime() + idleMs),
    };
    await this.store.insert(manager, session, address || null);
    return { ...(await this.issue(manager, user, session)), sessionId: session.id };
  }

  /** A fresh token for a live session that is in use: idle time starts again, never past the session's maximum. */
  async renew(sessionId: string): Promise<TokenResponse> {
    return this.transactions.run(async (manager) => {
      const now = this.clock.now();
      const session = await this.store.renew(manager, sessionId, now, new Date(now.getTime() + this.runtime.config.adminSessions.idleMs));
      if (!session) throw new BusError('unauthorized', 'The session has ended: sign in again');
      const user = await this.users.forSession(manager, session.user_id);
      if (!user) throw new BusError('unauthorized', 'The session has ended: sign in again');
      return this.issue(manager, user, session);
    });
  }

  async view(sessionId: string): Promise<AdminSessionView> {
    const row = await this.store.live(sessionId);
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
  async end(manager: Transaction, sessionId: string, reason: TokenRevokedEvent['reason']): Promise<boolean> {
    const ended = await this.endWhere(manager, { id: sessionId }, reason);
    return ended > 0;
  }

  /** Ends every live session of a user (password change or reset, role change, deletion); how many there were. */
  endAllOf(manager: Transaction, userId: string, reason: TokenRevokedEvent['reason']): Promise<number> {
    return this.endWhere(manager, { userId }, reason);
  }

  private async endWhere(manager: Transaction, which: { id: string } | { userId: string }, reason: TokenRevokedEvent['reason']): Promise<number> {
    const now = this.clock.now();
    const ended = await this.store.end(manager, which, now, reason);
    const expiresAt = new Date(now.getTime() + MAX_ACCESS_TOKEN_TTL_MS).toISOString();
    await this.outbox.recordMany(
      manager,
      ended.map((id) => ({
        type: Events.tokenRevoked,
        data: { familyId: id, clientId: ADMIN_CLIENT_ID, reason, revokedAt: now.toISOString(), expiresAt } satisfies TokenRevokedEvent,
      })),
    );
    return ended.length;
  }

  private async issue(
    manager: Transaction,
    user: Pick<AdminUser, 'id' | 'username' | 'role' | 'mustChangePassword'>,
    session: SessionRow,
  ): Promise<TokenResponse> {
    // A token issued in the same second as a client-wide revocation of admin tokens (the reset command of earlier
    // versions) must outlive it (verifiers deny iat ≤ its second): such a token is dated the next second.
    const revokedAt = await this.store.clientRevokedAt(manager, ADMIN_CLIENT_ID);
    const revokedSecond = revokedAt ? Math.floor(revokedAt.getTime() / 1000) : 0;
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
