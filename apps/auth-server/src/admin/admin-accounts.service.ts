import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { adminPasswordProblem, BusError, type AdminLoginCommand, type ChangeAdminPasswordCommand, type TokenResponse } from '@tessera/contracts';
import { randomToken } from '@tessera/crypto';
import type { Logger, Clock } from '@tessera/observability';
import { AuditTrail, EventOutbox, Transactions } from '@tessera/persistence';
import { ADMIN_PASSWORD, CLOCK, LOGGER, SHOW_GENERATED_ADMIN_PASSWORD } from '@tessera/runtime';
import { FailureLimiter, type FailureRule } from '../security/failure-limiter.js';
import { HashGate } from '../security/hash-gate.js';
import { RevocationService, type AccessTokenClaims } from '../tokens/revocation.service.js';
import { AdminSessionsService } from './admin-sessions.service.js';
import type { AdminUser } from './admin-user.entity.js';
import { PasswordHasher } from './password-hasher.js';
import { AdminUserStore } from './admin-user.store.js';

const ADMIN_USERNAME = 'admin';
/** Failed logins allowed per 5 minutes, per username and address, and per address over all usernames. */
const LOGIN_FAILURE_LIMIT = 5;
const ADDRESS_LOGIN_FAILURE_LIMIT = 50;
const LOGIN_FAILURE_WINDOW_MS = 5 * 60_000;

/** Signing in and out, and one's own password; named users and roles are AdminUsersService's. */
@Injectable()
export class AdminAccountsService implements OnApplicationBootstrap {
  constructor(
    private readonly transactions: Transactions,
    private readonly users: AdminUserStore,
    private readonly sessions: AdminSessionsService,
    private readonly limiter: FailureLimiter,
    private readonly hashes: HashGate,
    private readonly passwords: PasswordHasher,
    private readonly revocations: RevocationService,
    private readonly outbox: EventOutbox,
    private readonly audit: AuditTrail,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(ADMIN_PASSWORD) private readonly configuredPassword: string | undefined,
    @Inject(SHOW_GENERATED_ADMIN_PASSWORD) private readonly showGeneratedPassword: ((password: string) => void) | null,
  ) {}

  /**
   * First start: the `admin` account, the first owner, with TESSERA_ADMIN_PASSWORD or a generated password printed
   * once. Later starts ignore the variable (the password may have been changed since): say so, so nobody believes it
   * took effect.
   */
  async onApplicationBootstrap(): Promise<void> {
    const configured = this.configuredPassword;
    if (await this.users.exists(ADMIN_USERNAME)) {
      if (configured)
        this.logger.info(
          'TESSERA_ADMIN_PASSWORD is ignored: the admin account already exists (it sets the password on first start only; use POST /admin/password or `tessera reset-admin-password`)',
        );
      return;
    }
    const password = configured ?? randomToken(18);
    const now = this.clock.now();
    const inserted = await this.users.insertIfNew({
      username: ADMIN_USERNAME,
      id: this.clock.uuid(),
      role: 'owner',
      passwordHash: await this.passwords.hash(password),
      mustChangePassword: false,
      createdAt: now,
      updatedAt: now,
    });
    // Another replica may have created it first; only the one whose insert took prints its password.
    if (!configured && inserted) {
      // Printed once, to the console only (never to the structured log), and never stored in clear.
      if (this.showGeneratedPassword) this.showGeneratedPassword(password);
      else
        process.stdout.write(
          `\n  Tessera admin account created.\n  username: ${ADMIN_USERNAME}\n  password: ${password}\n  (shown once; set TESSERA_ADMIN_PASSWORD to choose it)\n\n`,
        );
      this.logger.warn('generated the admin password and printed it once on the console');
    }
  }

  /** A session and its first token; a failed sign-in leaves its audit line (durable: its own transaction). */
  async login(command: AdminLoginCommand): Promise<TokenResponse> {
    let user: AdminUser;
    try {
      user = await this.checkPassword(command.username, command.password, command.address);
    } catch (error) {
      if (error instanceof BusError && error.code === 'unauthorized') {
        await this.audit.recordAlone({
          action: 'admin.login',
          outcome: 'failure',
          target: { type: 'admin_user', name: command.username.slice(0, 200) },
          detail: { reason: 'wrong username or password' },
        });
      }
      throw error;
    }
    const started = await this.transactions.run(async (manager) => {
      const token = await this.sessions.start(manager, user, command.address);
      await this.audit.record(manager, {
        action: 'admin.login',
        target: { type: 'admin_user', id: user.id, name: user.username },
        actor: { type: 'user', id: user.id, name: user.username },
        detail: { sessionId: token.sessionId, ...(user.mustChangePassword ? { mustChangePassword: true } : {}) },
      });
      return token;
    });
    void this.outbox.flush();
    const { sessionId: _sessionId, ...token } = started;
    return token;
  }

  /**
   * POST /admin/password: the current password again, then the new one under the policy. Every session of this user
   * ends (this one too); a one-time password stops being one.
   */
  async changePassword(command: ChangeAdminPasswordCommand): Promise<void> {
    const username = command.subject.startsWith('admin:') ? command.subject.slice('admin:'.length) : '';
    if (!username) throw new BusError('forbidden', 'Only an administrator signed in with a password can change it');
    const problem = adminPasswordProblem(username, command.newPassword);
    if (problem) throw new BusError('validation_failed', problem, { newPassword: [problem] });
    if (command.newPassword === command.currentPassword)
      throw new BusError('validation_failed', 'The new password must differ from the current one', { newPassword: ['must differ from the current password'] });
    let user: AdminUser;
    try {
      user = await this.checkPassword(username, command.currentPassword, command.address);
    } catch (error) {
      if (error instanceof BusError && error.code === 'unauthorized') {
        await this.audit.recordAlone({
          action: 'admin.password_change',
          outcome: 'failure',
          target: { type: 'admin_user', name: username },
          detail: { reason: 'the current password is wrong' },
        });
        throw new BusError('validation_failed', 'The current password is wrong', { currentPassword: ['is wrong'] });
      }
      throw error;
    }
    const passwordHash = await this.hashes.run(command.address, () => this.passwords.hash(command.newPassword));
    await this.transactions.run(async (manager) => {
      await this.users.update(manager, { username }, { passwordHash, mustChangePassword: false, updatedAt: this.clock.now() });
      // Whoever held this user's token (including one stolen with the old password) must sign in again.
      await this.sessions.endAllOf(manager, user.id, 'password_changed');
      await this.audit.record(manager, {
        action: 'admin.password_change',
        target: { type: 'admin_user', id: user.id, name: username },
        before: { password: 'old', ...(user.mustChangePassword ? { mustChangePassword: true } : {}) },
        after: { password: 'new', ...(user.mustChangePassword ? { mustChangePassword: false } : {}) },
      });
    });
    void this.outbox.flush();
    this.logger.info({ username }, 'an admin password was changed; every session of that user was revoked');
  }

  /** POST /admin/logout: the session ends at once everywhere (deny-list event for its id), not left to expire. */
  async logout(claims: AccessTokenClaims & { sub?: string }): Promise<void> {
    const name = claims.sub?.startsWith('admin:') ? claims.sub.slice('admin:'.length) : undefined;
    if (!claims.fid) {
      await this.revocations.revokeAccessToken(claims, 'logout');
      await this.audit.recordAlone({ action: 'admin.logout', target: { type: 'admin_session', id: claims.jti, name } });
      return;
    }
    await this.transactions.run(async (manager) => {
      await this.sessions.end(manager, claims.fid!, 'logout');
      await this.audit.record(manager, { action: 'admin.logout', target: { type: 'admin_session', id: claims.fid, name } });
    });
    void this.outbox.flush();
  }

  /**
   * The place is reserved before the hash is checked, so parallel attempts cannot all race past the limit; the
   * hash itself runs under HashGate's cap.
   */
  private async checkPassword(username: string, password: string, address: string): Promise<AdminUser> {
    const rules: FailureRule[] = [
      { key: `login:${username}:${address}`, limit: LOGIN_FAILURE_LIMIT, windowMs: LOGIN_FAILURE_WINDOW_MS },
      { key: `login-address:${address}`, limit: ADDRESS_LOGIN_FAILURE_LIMIT, windowMs: LOGIN_FAILURE_WINDOW_MS },
    ];
    const attempt = this.limiter.reserve(rules);
    let user: AdminUser | null;
    let valid: boolean;
    try {
      user = await this.users.byUsername(username);
      valid = await this.hashes.run(address, () => (user ? this.passwords.verify(user.passwordHash, password) : this.passwords.decoy(password)));
    } catch (error) {
      attempt.release();
      throw error;
    }
    if (!user || !valid) {
      attempt.fail();
      throw new BusError('unauthorized', 'Wrong username or password');
    }
    attempt.succeed([rules[0].key]);
    return user;
  }
}
