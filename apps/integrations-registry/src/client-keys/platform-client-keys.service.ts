import { Inject, Injectable } from '@nestjs/common';
import {
  CLIENT_JWKS_PATH,
  type ClientAssertionReply,
  type JsonWebKeySet,
  type PlatformClientKeyList,
  type PublicJsonWebKey,
  type SignClientAssertionRequest,
} from '@tessera/contracts';
import { SecretBox } from '@tessera/crypto';
import type { Clock } from '@tessera/observability';
import { AuditTrail, EventOutbox, Transactions } from '@tessera/persistence';
import { CLOCK, ENCRYPTION_KEY, ISSUER } from '@tessera/runtime';
import { calculateJwkThumbprint, SignJWT } from 'jose';
import { createPrivateKey, generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { publishedKeys, signingKey } from './client-key-schedule.js';
import type { PlatformClientKey } from './platform-client-key.entity.js';
import { PlatformClientKeyStore } from './platform-client-key.store.js';

/** An assertion is good for a minute: long enough for one request, short enough that a copied one is soon worthless. */
const ASSERTION_LIFETIME_SECONDS = 60;
/** How long a replica keeps the key list: a rotation reaches every replica within this. */
const CACHE_MS = 30_000;
/**
 * A replaced key stays published this long after its successor starts signing: past the last assertion it signed
 * (another replica's cache, then the assertion's lifetime), so no request signed with it is refused meanwhile.
 */
const RETIRE_AFTER_MS = 5 * 60_000;
const DEFAULT_OVERLAP_SECONDS = 300;

/**
 * The keys this platform signs its client assertions with when it calls another platform (P2PI with private_key_jwt,
 * RFC 7523 §2.2): no secret crosses between the platforms, the other one registers this one's JWKS URL. The private
 * keys are sealed at rest and never leave this service; the broker asks for one signed assertion per request.
 */
@Injectable()
export class PlatformClientKeysService {
  private readonly box: SecretBox;
  private cached: { keys: PlatformClientKey[]; at: number } | undefined;
  private readonly privateKeys = new Map<string, KeyObject>();

  constructor(
    private readonly store: PlatformClientKeyStore,
    private readonly transactions: Transactions,
    private readonly audit: AuditTrail,
    private readonly outbox: EventOutbox,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ISSUER) private readonly issuer: string,
    @Inject(ENCRYPTION_KEY) masterKey: Buffer,
  ) {
    this.box = new SecretBox(masterKey, 'platform-client-key');
  }

  async sign({ clientId, audience }: SignClientAssertionRequest): Promise<ClientAssertionReply> {
    const keys = await this.keys();
    // Read after the keys: a first key made just now signs from this instant on.
    const now = this.clock.now();
    const key = signingKey(keys, now);
    const iat = Math.floor(now.getTime() / 1000);
    const assertion = await new SignJWT({ jti: randomUUID() })
      .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT' })
      .setIssuer(clientId)
      .setSubject(clientId)
      .setAudience(audience)
      .setIssuedAt(iat)
      .setExpirationTime(iat + ASSERTION_LIFETIME_SECONDS)
      .sign(this.privateKey(key));
    return { assertion };
  }

  /** The published keys: the next one before it signs, the previous ones until their assertions have expired. */
  async jwks(): Promise<JsonWebKeySet> {
    const now = this.clock.now();
    return { keys: publishedKeys(await this.keys(), now).map(({ key }) => publicJwk(key)) };
  }

  async list(): Promise<PlatformClientKeyList> {
    return this.view(await this.keys());
  }

  /**
   * A new key, published at once and signing after `activateAfterSeconds`, so the other platforms' JWKS caches see it
   * before any assertion names it; the keys it replaces retire a while after it starts signing.
   */
  async rotate(activateAfterSeconds = DEFAULT_OVERLAP_SECONDS): Promise<PlatformClientKeyList> {
    const keys = await this.transactions.run(async (tx) => {
      const now = this.clock.now();
      const existing = await this.store.lockAll(tx);
      const activeFrom = new Date(now.getTime() + activateAfterSeconds * 1000);
      await this.store.deleteRetired(tx, now);
      await this.store.retireUnplanned(tx, new Date(activeFrom.getTime() + RETIRE_AFTER_MS));
      // The first key ever signs from now: before it, nothing was published that a successor must overlap.
      const key = await this.newKey(existing.length ? activeFrom : now, now);
      await this.store.insert(tx, key);
      await this.audit.record(tx, {
        action: 'client-key.rotate',
        target: { type: 'client-key', id: key.kid, name: key.kid },
        detail: { activeFrom: key.activeFrom.toISOString() },
      });
      return this.store.lockAll(tx);
    });
    void this.outbox.flush();
    this.cached = { keys, at: Date.now() };
    return this.view(keys);
  }

  private view(keys: PlatformClientKey[]): PlatformClientKeyList {
    return {
      items: publishedKeys(keys, this.clock.now()).map(({ key, state }) => ({
        kid: key.kid,
        alg: key.alg,
        state,
        createdAt: key.createdAt.toISOString(),
        activeFrom: key.activeFrom.toISOString(),
        retiresAt: key.retiresAt?.toISOString() ?? null,
      })),
      jwksUri: `${this.issuer}${CLIENT_JWKS_PATH}`,
    };
  }

  /** The keys, made on first use: a platform that never calls another by private_key_jwt has none. */
  private async keys(): Promise<PlatformClientKey[]> {
    if (this.cached && Date.now() - this.cached.at < CACHE_MS) return this.cached.keys;
    let keys = await this.store.all();
    if (!keys.length)
      keys = await this.transactions.run(async (tx) => {
        const locked = await this.store.lockAll(tx);
        if (locked.length) return locked;
        const now = this.clock.now();
        const key = await this.newKey(now, now);
        await this.store.insert(tx, key);
        return [key];
      });
    this.cached = { keys, at: Date.now() };
    return keys;
  }

  private async newKey(activeFrom: Date, now: Date): Promise<PlatformClientKey> {
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = publicKey.export({ format: 'jwk' }) as Record<string, string>;
    const kid = await calculateJwkThumbprint({ kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y });
    return {
      kid,
      alg: 'ES256',
      publicJwk: { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y },
      privateKeySealed: this.box.seal(privateKey.export({ format: 'pem', type: 'pkcs8' }) as string, kid),
      createdAt: now,
      activeFrom,
      retiresAt: null,
    };
  }

  private privateKey(key: PlatformClientKey): KeyObject {
    let opened = this.privateKeys.get(key.kid);
    if (!opened) {
      opened = createPrivateKey(this.box.open(key.privateKeySealed, key.kid));
      this.privateKeys.set(key.kid, opened);
    }
    return opened;
  }
}

function publicJwk(key: PlatformClientKey): PublicJsonWebKey {
  return { ...(key.publicJwk as Pick<PublicJsonWebKey, 'kty' | 'crv' | 'x' | 'y'>), kid: key.kid, alg: key.alg, use: 'sig' };
}
