import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { BusError, type AdminLoginCommand, type TokenResponse } from '@tessera/contracts';
import { randomToken } from '@tessera/crypto';
import type { Logger } from '@tessera/observability';
import type { Clock } from '@tessera/persistence';
import { CLOCK, LOGGER, RUNTIME, type ServiceRuntime } from '@tessera/runtime';
import { argon2id, hash, verify } from 'argon2';
import { DataSource } from 'typeorm';
import { SigningKeysService } from '../keys/signing-keys.service.js';
import { FailureLimiter } from '../security/failure-limiter.js';
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

@Injectable()
export class AdminAccountsService implements OnApplicationBootstrap {
  // Verifying against a real hash when the user is unknown keeps the answer's timing from telling which usernames exist.
  private decoyHash?: Promise<string>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly keys: SigningKeysService,
    private readonly limiter: FailureLimiter,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(RUNTIME) private readonly runtime: ServiceRuntime,
  ) {}

  /** First start: the `admin` account, with TESSERA_ADMIN_PASSWORD or a generated password printed once. */
  async onApplicationBootstrap(): Promise<void> {
    const repository = this.dataSource.getRepository(AdminUser);
    if (await repository.existsBy({ username: ADMIN_USERNAME })) return;
    const configured = this.runtime.config.adminPassword;
    const password = configured ?? randomToken(18);
    const inserted = await repository.createQueryBuilder().insert()
      .values({ username: ADMIN_USERNAME, passwordHash: await hash(password, { type: argon2id }), createdAt: this.clock.now() })
      .orIgnore().returning(['username']).execute();
    // Another replica may have created it first; only the one whose insert took prints its password.
    if (!configured && inserted.raw?.length > 0) {
      // Printed once, to the console only (never to the structured log), and never stored in clear.
      process.stdout.write(`\n  Tessera admin account created.\n  username: ${ADMIN_USERNAME}\n  password: ${password}\n  (shown once; set TESSERA_ADMIN_PASSWORD to choose it)\n\n`);
      this.logger.warn('generated the admin password and printed it once on the console');
    }
  }

  async login(command: AdminLoginCommand): Promise<TokenResponse> {
    const keys = [`login:${command.username}:${command.address}`, `login-address:${command.address}`];
    this.limiter.check([keys[0]], LOGIN_FAILURE_LIMIT, LOGIN_FAILURE_WINDOW_MS);
    this.limiter.check([keys[1]], ADDRESS_LOGIN_FAILURE_LIMIT, LOGIN_FAILURE_WINDOW_MS);
    const user = await this.dataSource.getRepository(AdminUser).findOneBy({ username: command.username });
    const valid = user ? await verify(user.passwordHash, command.password) : await this.decoy(command.password);
    if (!user || !valid) {
      this.limiter.fail(keys);
      throw new BusError('unauthorized', 'Wrong username or password');
    }
    this.limiter.succeed([keys[0]]);
    const iat = Math.floor(this.clock.now().getTime() / 1000);
    const token = await this.keys.sign({
      iss: this.runtime.config.issuer, sub: `admin:${user.username}`, aud: this.runtime.config.issuer, client_id: ADMIN_CLIENT_ID,
      scope: ADMIN_PERMISSION, jti: this.clock.uuid(), iat, exp: iat + ADMIN_TOKEN_TTL_SECONDS,
    });
    return { access_token: token, token_type: 'Bearer', expires_in: ADMIN_TOKEN_TTL_SECONDS, scope: ADMIN_PERMISSION };
  }

  private async decoy(password: string): Promise<false> {
    this.decoyHash ??= hash(randomToken(16), { type: argon2id });
    await verify(await this.decoyHash, password);
    return false;
  }
}
