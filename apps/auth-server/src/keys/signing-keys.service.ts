import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { MAX_ACCESS_TOKEN_LIFETIME_MS, type JsonWebKeySet, type PublicJsonWebKey } from '@tessera/contracts';
import { SecretBox } from '@tessera/crypto';
import type { Logger, Clock } from '@tessera/observability';
import { DatabaseAvailability, Transactions } from '@tessera/persistence';
import { CLOCK, ENCRYPTION_KEY, LOGGER } from '@tessera/runtime';
import { createSigner } from 'fast-jwt';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, SignJWT, type CryptoKey, type JWTPayload } from 'jose';
import { createPrivateKey } from 'node:crypto';
import { SigningKeyStore } from './signing-key.store.js';

const ALG = 'ES256';
/** A key signs for this long, then a new one takes over. */
const KEY_ROTATION_MS = 30 * 86_400_000;
/** The longest an access token lives; a retired key is published this much longer. */
export const MAX_ACCESS_TOKEN_TTL_MS = MAX_ACCESS_TOKEN_LIFETIME_MS;
const RELOAD_MS = 60_000;

interface LoadedKey {
  kid: string;
  sign: (claims: JWTPayload) => string;
  /** jose's handle on the same private key, for Security Event Tokens (few, so WebCrypto's cost does not matter). */
  privateKey: CryptoKey;
  publicJwk: PublicJsonWebKey;
  createdAt: Date;
  retiredAt: Date | null;
}

@Injectable()
export class SigningKeysService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly box: SecretBox;
  private keys: LoadedKey[] = [];
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly transactions: Transactions,
    private readonly store: SigningKeyStore,
    @Inject(ENCRYPTION_KEY) masterKey: Buffer,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly availability: DatabaseAvailability,
  ) {
    this.box = new SecretBox(masterKey, 'signing-key');
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.rotateIfDue();
    // Replicas pick up a rotation made by another replica, and each checks whether one is due.
    this.timer = setInterval(
      () =>
        void this.rotateIfDue().catch((err) => {
          if (!this.availability.noteFailure(err)) this.logger.error({ err }, 'signing key check failed');
        }),
      RELOAD_MS,
    );
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** Creates the first key, or a new one when the current key is older than the rotation period; one replica at a time. */
  async rotateIfDue(): Promise<void> {
    await this.transactions.run(async (manager) => {
      await this.store.lockRotation(manager);
      const current = await this.store.current(manager);
      const now = this.clock.now();
      if (current && now.getTime() - current.createdAt.getTime() < KEY_ROTATION_MS) return;
      const { privateKey, publicKey } = await generateKeyPair(ALG, { extractable: true });
      const publicJwk = await exportJWK(publicKey);
      const kid = await calculateJwkThumbprint(publicJwk);
      const privateJwk = await exportJWK(privateKey);
      await this.store.insert(manager, {
        kid,
        alg: ALG,
        publicJwk: { ...publicJwk, kid, alg: ALG, use: 'sig' },
        privateJwkSealed: this.box.seal(JSON.stringify(privateJwk), kid),
        createdAt: now,
        retiredAt: null,
      });
      if (current) await this.store.retire(manager, current.kid, now);
      this.logger.info({ kid, retired: current?.kid }, 'signing key rotated');
    });
    await this.reload();
  }

  private async reload(): Promise<void> {
    const horizon = new Date(this.clock.now().getTime() - MAX_ACCESS_TOKEN_TTL_MS);
    const rows = await this.store.all();
    const keys: LoadedKey[] = [];
    for (const row of rows) {
      if (row.retiredAt && row.retiredAt < horizon) continue;
      const known = this.keys.find((k) => k.kid === row.kid);
      const privateJwk = known ? undefined : (JSON.parse(this.box.open(row.privateJwkSealed, row.kid)) as Record<string, unknown>);
      const sign = known?.sign ?? accessTokenSigner(row.kid, privateJwk!);
      const privateKey = known?.privateKey ?? ((await importJWK(privateJwk!, ALG)) as CryptoKey);
      // The row holds the public JWK rotateIfDue wrote: an EC P-256 key with its kid, alg and use.
      keys.push({
        kid: row.kid,
        sign,
        privateKey,
        publicJwk: row.publicJwk as unknown as PublicJsonWebKey,
        createdAt: row.createdAt,
        retiredAt: row.retiredAt,
      });
    }
    this.keys = keys;
  }

  /** The public keys a verifier needs: the signing key and retired keys whose tokens may still be alive. */
  jwks(): JsonWebKeySet {
    return { keys: this.keys.map((k) => k.publicJwk) };
  }

  /** Signs an RFC 9068 access token (`typ: at+jwt`) with the current key. */
  sign(claims: JWTPayload): string {
    return this.currentKey().sign(claims);
  }

  /**
   * Signs a Security Event Token (RFC 8417) with the current key. Its `typ: secevent+jwt` and its claims (no `exp`,
   * no `client_id`, no `scope`) keep it from passing for an access token wherever `typ` is checked (ADR 0049).
   */
  signSecurityEvent(claims: JWTPayload): Promise<string> {
    const key = this.currentKey();
    return new SignJWT(claims).setProtectedHeader({ alg: ALG, kid: key.kid, typ: 'secevent+jwt' }).sign(key.privateKey);
  }

  private currentKey(): LoadedKey {
    const key = this.keys.find((k) => k.retiredAt === null) ?? this.keys[0];
    if (!key) throw new Error('no signing key loaded');
    return key;
  }
}

/**
 * jose makes and publishes the keys; fast-jwt signs with node:crypto synchronously, where jose's WebCrypto signing
 * is a job on libuv's thread pool and a promise for every token (ADR 0010). The claims carry their own iat and exp.
 */
function accessTokenSigner(kid: string, privateJwk: Record<string, unknown>): (claims: JWTPayload) => string {
  const key = createPrivateKey({ key: privateJwk as never, format: 'jwk' }).export({ type: 'pkcs8', format: 'pem' }) as string;
  return createSigner({ key, algorithm: ALG, kid, header: { alg: ALG, typ: 'at+jwt' } }) as (claims: JWTPayload) => string;
}
