import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  adminPasswordProblem, BusError, type AdminLoginCommand, type ChangeAdminPasswordCommand, type TokenResponse,
} from '@tessera/contracts';
import { randomToken } from '@tessera/crypto';
import type { Logger } from '@tessera/observability';
import { EventOutbox, type Clock } from '@tessera/persistence';
import { ADMIN_PASSWORD, CLOCK, ISSUER, LOGGER, SHOW_GENERATED_ADMIN_PASSWORD } from '@tessera/runtime';
import { argon2id, hash, verify } from 'argon2';
import { DataSource } from 'typeorm';
import { SigningKeysService } from '../keys/signing-keys.service.js';
import { FailureLimiter, type FailureRule } from '../security/failure-limiter.js';
import { HashGate } from '../security/hash-gate.js';
import { RevocationService, type AccessTokenClaims } from '../tokens/revocation.service.js';
import { AdminUser } from './admin-user.entity.js';

export const ADMIN_USERNAME = 'admin';
export const ADMIN_PERMISSION = '*:platform=admin';
/** The client id admin-console tokens carry (RFC 9068 requires one). */
export const ADMIN_CLIENT_ID = 'tessera-admin';
const ADMIN_TOKEN_TTL_SECONDS = 900;
/** Failed logins allowed per 5 minutes, per username and address, and per address over all usernames. */
const LOGIN_FAILURE_LIMIT = 5;
const ADDRESS_LOGIN_FAILURE_LIMIT = 50;
const LOGIN_FAILURE_WINDOW_MS = 5 * 60_000;
/**
 * Verifying against a real hash when the user is unknown keeps the answer's timing from telling which usernames exist.
 * A fixed hash (argon2id, default parameters, of random bytes nobody kept) costs what a real one does without hashing
 * at start or on the first unknown name, when sign-ins are least welcome to wait.
 */
const DECOY_HASH = '$argon2id$v=19$m=65536,p=4,t=3$rLP0CSQ4S+/+24Az0QsbEg$iReVjrnSvnpxSDUHsIM03d/1EKzos5akQntZ1rNQuDs';

@Injectable()
export class AdminAccountsService implements OnApplicationBootstrap {

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly keys: SigningKeysService,
    private readonly limiter: FailureLimiter,
    private readonly hashes: HashGate,
    private readonly revocations: RevocationService,
    private readonly outbox: EventOutbox,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(ISSUER) private readonly issuer: string,
    @Inject(ADMIN_PASSWORD) private readonly configuredPassword: string | undefined,
    @Inject(SHOW_GENERATED_ADMIN_PASSWORD) private readonly showGeneratedPassword: ((password: string) => void) | null,
  ) {}

  /**
   * First start: the `admin` account, with TESSERA_ADMIN_PASSWORD or a generated password printed once. Later starts
   * ignore the variable (the password may have been changed since): say so, so nobody believes it took effect.
   */
  async onApplicationBootstrap(): Promise<void> {
    const repository = this.dataSource.getRepository(AdminUser);
    const configured = this.configuredPassword;
    if (await repository.existsBy({ username: ADMIN_USERNAME })) {
      if (configured) this.logger.info('TESSERA_ADMIN_PASSWORD is ignored: the admin account already exists (it sets the password on first start only; use POST /admin/password or `tessera reset-admin-password`)');
      return;
    }
    const password = configured ?? randomToken(18);
    const inserted = await repository.createQueryBuilder().insert()
      .values({ username: ADMIN_USERNAME, passwordHash: await hash(password, { type: argon2id }), createdAt: this.clock.now() })
      .orIgnore().returning(['username']).execute();
    // Another replica may have created it first; only the one whose insert took prints its password.
    if (!configured && inserted.raw?.length > 0) {
      // Printed once, to the console only (never to the structured log), and never stored in clear.
      if (this.showGeneratedPassword) this.showGeneratedPassword(password);
      else process.stdout.write(`\n  Tessera admin account created.\n  username: ${ADMIN_USERNAME}\n  password: ${password}\n  (shown once; set TESSERA_ADMIN_PASSWORD to choose it)\n\n`);
      this.logger.warn('generated the admin password and printed it once on the console');
    }
  }

  async login(command: AdminLoginCommand): Promise<TokenResponse> {
    const user = await this.checkPassword(command.username, command.password, command.address);
    return this.issue(user.username);
  }

  /** POST /admin/password: the current password again, then the new one under the policy; every admin session ends. */
  async changePassword(command: ChangeAdminPasswordCommand): Promise<void> {
    const username = command.subject.startsWith('admin:') ? command.subject.slice('admin:'.length) : '';
    if (!username) throw new BusError('forbidden', 'Only an administrator signed in with a password can change it');
    const problem = adminPasswordProblem(username, command.newPassword);
    if (problem) throw new BusError('validation_failed', problem, { newPassword: [problem] });
    try {
      await this.checkPassword(username, command.currentPassword, command.address);
    } catch (error) {
      if (error instanceof BusError && error.code === 'unauthorized') throw new BusError('validation_failed', 'The current password is wrong', { currentPassword: ['is wrong'] });
      throw error;
    }
    const passwordHash = await this.hashes.run(command.address, () => hash(command.newPassword, { type: argon2id }));
    await this.dataSource.transaction(async (manager) => {
      await manager.getRepository(AdminUser).update({ username }, { passwordHash });
      // Whoever held an admin token (including one stolen with the old password) must sign in again.
      await this.revocations.revokeClient(manager, ADMIN_CLIENT_ID, 'password_changed');
    });
    void this.outbox.flush();
    this.logger.info({ username }, 'the admin password was changed; every admin session was revoked');
  }

  /** POST /admin/logout: the token is denied at once everywhere (deny-list event), not left to expire. */
  async logout(claims: AccessTokenClaims): Promise<void> {
    await this.revocations.revokeAccessToken(claims, 'logout');
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
      user = await this.dataSource.getRepository(AdminUser).findOneBy({ username });
      valid = await this.hashes.run(address, () => (user ? verify(user.passwordHash, password) : this.decoy(password)));
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

  private async issue(username: string): Promise<TokenResponse> {
    // A token issued in the same second as a password change must outlive that change's client-wide revocation
    // (which denies iat ≤ its second): such a token is dated the next second, within verifiers' clock tolerance.
    const revokedAt = await this.revocations.clientRevokedAt(ADMIN_CLIENT_ID);
    const revokedSecond = revokedAt ? Math.floor(revokedAt.getTime() / 1000) : 0;
    const iat = Math.max(Math.floor(this.clock.now().getTime() / 1000), revokedSecond + 1);
    const token = await this.keys.sign({
      iss: this.issuer, sub: `admin:${username}`, aud: this.issuer, client_id: ADMIN_CLIENT_ID,
      scope: ADMIN_PERMISSION, jti: this.clock.uuid(), iat, exp: iat + ADMIN_TOKEN_TTL_SECONDS,
    });
    return { access_token: token, token_type: 'Bearer', expires_in: ADMIN_TOKEN_TTL_SECONDS, scope: ADMIN_PERMISSION };
  }

  private async decoy(password: string): Promise<false> {
    await verify(DECOY_HASH, password);
    return false;
  }
}
