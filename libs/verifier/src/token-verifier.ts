import type { JsonWebKeySet, TokenRevokedEvent } from '@tessera/contracts';
import { isCovered, parseScope } from '@tessera/permissions';
import { createVerifier, TokenError } from 'fast-jwt';
import { createLocalJWKSet, createRemoteJWKSet, errors, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { KeyObject, type webcrypto } from 'node:crypto';
import { Metrics, SLOW_BUCKETS, type CounterChild, type HistogramChild } from '@tessera/observability';
import { DenyList } from './deny-list.js';
import { DpopProofRejected, DpopProofVerifier, type DpopProofOptions } from './dpop-proof.js';
import type { ReplayCache } from '@tessera/contracts';

export interface AccessTokenClaims extends JWTPayload {
  client_id: string;
  scope: string;
  jti: string;
  fid?: string;
  /** The integration revision the token was issued under. */
  cv?: number;
  /** RFC 9449 §6.1: a DPoP-bound token's key (its RFC 7638 thumbprint). */
  cnf?: { jkt?: string };
}

export class TokenRejected extends Error {
  constructor(
    readonly error: 'invalid_token' | 'insufficient_scope' | 'invalid_dpop_proof' | 'use_dpop_nonce' | 'invalid_request',
    message: string,
    /** The scheme the challenge (WWW-Authenticate) names: DPoP for a DPoP-bound token or a DPoP request. */
    readonly scheme: 'Bearer' | 'DPoP' = 'Bearer',
    /** RFC 9449 §9: the nonce to send in `DPoP-Nonce`, when the verifier uses nonces. */
    readonly dpopNonce?: string,
  ) {
    super(message);
    this.name = 'TokenRejected';
  }
}

/** An HTTP request's credentials, as a resource server received them (RFC 6750 §2.1, RFC 9449 §7.1). */
export interface AccessTokenRequest {
  /** The Authorization header: `Bearer <token>` or `DPoP <token>`. */
  authorization?: string;
  /** The DPoP header(s): one proof. */
  dpop?: string | string[];
  method: string;
  /** The URL the client addressed (scheme, host and path as the client saw them): the proof's `htu` must match it. */
  url: string;
}

/** How long a signing key found in the JWKS is used before it is looked up there again (a withdrawn key stops working). */
const KEY_RECHECK_MS = 5 * 60_000;

/** Where the verifier gets signing keys: a JWKS URL (cached by jose), or a loader (e.g. over the bus). */
export type KeySource = { jwksUri: string } | { load: () => Promise<JsonWebKeySet> };

export interface TokenVerifierOptions {
  issuer: string;
  /** Accepted `aud` values; the issuer by default. */
  audience?: string | string[];
  keys: KeySource;
  /** Seconds of clock skew tolerated on exp/iat. */
  clockToleranceSeconds?: number;
  /** How many verified tokens to remember (0: check the signature on every call); 10,000 by default. */
  cacheSize?: number;
  /** Where the verifier counts its verifications and measures revocation lag (docs/operate.md); none by default. */
  metrics?: Metrics;
  /**
   * DPoP-bound tokens (RFC 9449 §7): where proof `jti`s are remembered — shared by the resource server's replicas
   * (`Bus.replayCache`, or `NatsKvReplayCache` of @tessera/messaging), one process's memory by default — and
   * optional server nonces.
   */
  dpop?: Omit<DpopProofOptions, 'now'>;
}

type VerificationResult = 'valid' | 'invalid' | 'revoked' | 'insufficient_scope' | 'error';

/** What a verifier reports: verifications by result (children bound once), deny-list size, revocation propagation lag. */
class VerifierMetrics {
  readonly results: Record<VerificationResult, CounterChild>;
  readonly revocationLag: HistogramChild;
  readonly unmeasure: () => void;

  constructor(metrics: Metrics, denyList: DenyList) {
    const verifications = metrics.counter({
      name: 'tessera_verifier_verifications_total',
      help: 'Access-token verifications by result',
      labelNames: ['result'],
    });
    const results = ['valid', 'invalid', 'revoked', 'insufficient_scope', 'error'] as const;
    this.results = Object.fromEntries(results.map((result) => [result, verifications.labels(result)])) as Record<VerificationResult, CounterChild>;
    this.revocationLag = metrics
      .histogram({
        name: 'tessera_verifier_revocation_lag_seconds',
        help: 'From a revocation (its revokedAt) to this verifier refusing the token (the event applied)',
        buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, ...SLOW_BUCKETS.slice(2)],
      })
      .labels();
    this.unmeasure = metrics.sampledGauge(
      { name: 'tessera_verifier_deny_list_entries', help: 'Revocations a verifier holds (by jti, family or client) until the tokens they cover expire' },
      (sample) => sample({}, denyList.size),
    );
  }
}

/**
 * A JWKS that reloads when it meets a kid it does not know (key rotation), at most every `cooldownMs`, and when it is
 * older than `maxAgeMs` (so a key withdrawn from the set stops being accepted).
 */
function reloadingKeySet(load: () => Promise<JsonWebKeySet>, cooldownMs = 5_000, maxAgeMs = KEY_RECHECK_MS): JWTVerifyGetKey {
  let keySet: JWTVerifyGetKey | undefined;
  let loadedAt = 0;
  let loading: Promise<void> | undefined;
  const reload = () =>
    (loading ??= load()
      .then((jwks) => {
        keySet = createLocalJWKSet(jwks as never);
        loadedAt = Date.now();
      })
      .finally(() => (loading = undefined)));
  return async (header, token) => {
    if (!keySet || Date.now() - loadedAt >= maxAgeMs) await reload();
    try {
      return await keySet!(header, token);
    } catch (error) {
      if (!(error instanceof errors.JWKSNoMatchingKey) || Date.now() - loadedAt < cooldownMs) throw error;
      await reload();
      return keySet!(header, token);
    }
  };
}

/**
 * Tokens whose signature, issuer, audience and type have been checked, keyed by the whole token (so only the very same
 * bytes hit), each until its own `exp` — no clock tolerance here, the full check applies it. Least recently used
 * entries go first when full. An ES256 check costs ~50 µs; a resource server sees the same token many times.
 */
class VerifiedTokenCache {
  private readonly entries = new Map<string, { claims: AccessTokenClaims; expiresAtMs: number }>();

  constructor(private readonly capacity: number) {}

  get(token: string, nowMs: number): AccessTokenClaims | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    this.entries.delete(token);
    if (entry.expiresAtMs <= nowMs) return undefined;
    this.entries.set(token, entry);
    return entry.claims;
  }

  add(token: string, claims: AccessTokenClaims): void {
    if (this.capacity <= 0 || typeof claims.exp !== 'number') return;
    this.entries.set(token, { claims: Object.freeze({ ...claims }), expiresAtMs: claims.exp * 1000 });
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }
}

type SignatureCheck = (token: string) => AccessTokenClaims;

/**
 * What a resource server embeds to accept Tessera access tokens (RFC 9068): signature against the JWKS, issuer,
 * audience, expiry, `typ: at+jwt`, and a deny-list fed by `tessera.events.auth.token.revoked` so a revoked token is
 * rejected from the moment the event arrives, not at its expiry.
 *
 * jose finds and caches the signing keys (JWKS fetch, reload on an unknown kid); fast-jwt checks each token with
 * node:crypto synchronously. jose verifies through WebCrypto, whose every call is a job on libuv's thread pool and a
 * promise: ~80 µs a token here against ~45 µs for the P-256 maths itself (ADR 0010).
 */
export class TokenVerifier {
  readonly denyList = new DenyList();
  private readonly keySet: JWTVerifyGetKey;
  private readonly pruneTimer: NodeJS.Timeout;
  private readonly verified: VerifiedTokenCache;
  /** One fast-jwt verifier per kid, each bound to its key. */
  private readonly checks = new Map<string, { check: SignatureCheck; foundAtMs: number }>();
  private readonly metrics: VerifierMetrics;
  private readonly proofs: DpopProofVerifier;
  /** Revocations older than this are the start-up replay: not counted as propagation lag. */
  private readonly startedAtMs = Date.now();

  constructor(private readonly options: TokenVerifierOptions) {
    this.metrics = new VerifierMetrics(options.metrics ?? Metrics.off(), this.denyList);
    this.keySet = 'jwksUri' in options.keys ? createRemoteJWKSet(new URL(options.keys.jwksUri)) : reloadingKeySet(options.keys.load);
    this.verified = new VerifiedTokenCache(options.cacheSize ?? 10_000);
    this.pruneTimer = setInterval(() => this.denyList.prune(Date.now()), 60_000);
    this.pruneTimer.unref();
    this.proofs = new DpopProofVerifier({ replay: memoryReplayCache(), ...options.dpop });
  }

  /**
   * Verifies an HTTP request's access token the way RFC 9449 §7 wants it: `Bearer` for an unbound token (a DPoP-bound
   * token presented as Bearer is refused: whoever copied it would otherwise use it without the key, §7.1), `DPoP` for
   * a bound one, with one proof signed by the token's key for this method and URL, carrying the token's hash (`ath`).
   */
  async verifyRequest(request: AccessTokenRequest, permission?: string): Promise<AccessTokenClaims> {
    const match = /^(Bearer|DPoP) +([A-Za-z0-9\-._~+/]+=*)$/i.exec(request.authorization?.trim() ?? '');
    if (!match) throw new TokenRejected('invalid_request', 'A Bearer or DPoP access token is required');
    const [, scheme, token] = match;
    if (scheme.toLowerCase() === 'bearer') {
      const claims = await this.unrevoked(token);
      if (claims.cnf?.jkt)
        throw this.invalid(new TokenRejected('invalid_token', 'A DPoP-bound access token must be presented with the DPoP scheme and a proof', 'DPoP'));
      return this.withPermission(claims, permission, 'Bearer');
    }
    const claims = await this.unrevoked(token).catch((error: unknown) => {
      throw error instanceof TokenRejected ? new TokenRejected(error.error, error.message, 'DPoP') : error;
    });
    if (!claims.cnf?.jkt) throw this.invalid(new TokenRejected('invalid_token', 'The access token is not DPoP-bound: present it as Bearer', 'DPoP'));
    let jkt: string;
    try {
      ({ jkt } = await this.proofs.verify(request.dpop, { method: request.method, url: request.url, accessToken: token }));
    } catch (error) {
      if (error instanceof DpopProofRejected) throw this.invalid(new TokenRejected(error.error, error.message, 'DPoP', this.proofs.nonce()));
      throw error;
    }
    if (jkt !== claims.cnf.jkt)
      throw new TokenRejected('invalid_dpop_proof', 'The DPoP proof is signed by another key than the one the token is bound to', 'DPoP');
    return this.withPermission(claims, permission, 'DPoP');
  }

  private invalid(rejection: TokenRejected): TokenRejected {
    this.metrics.results.invalid.inc();
    return rejection;
  }

  private withPermission(claims: AccessTokenClaims, permission: string | undefined, scheme: 'Bearer' | 'DPoP'): AccessTokenClaims {
    if (permission && !isCovered(parseScope(claims.scope), permission)) {
      this.metrics.results.insufficient_scope.inc();
      throw new TokenRejected('insufficient_scope', `The access token lacks the ${permission} permission`, scheme);
    }
    this.metrics.results.valid.inc();
    return claims;
  }

  /** Verifies a token; with `permission`, also that its scope covers it. Throws TokenRejected. */
  async verify(token: string, permission?: string): Promise<AccessTokenClaims> {
    return this.withPermission(await this.unrevoked(token), permission, 'Bearer');
  }

  /** Signature (or the cache), then the deny-list: checked on every call, cached or not. */
  private async unrevoked(token: string): Promise<AccessTokenClaims> {
    let claims = this.verified.get(token, Date.now());
    if (!claims) claims = await this.verifySignature(token);
    if (this.denyList.isDenied(claims)) {
      this.metrics.results.revoked.inc();
      throw new TokenRejected('invalid_token', 'The access token has been revoked');
    }
    return { ...claims };
  }

  private async verifySignature(token: string): Promise<AccessTokenClaims> {
    let claims: AccessTokenClaims;
    try {
      const check = await this.signatureCheckFor(token);
      claims = check(token);
    } catch (error) {
      // A token problem is a rejection; failing to fetch keys is not the token's fault and surfaces as it is.
      if (error instanceof TokenError || error instanceof errors.JOSEError) {
        this.metrics.results.invalid.inc();
        throw new TokenRejected('invalid_token', `The access token is invalid (${error.code})`);
      }
      this.metrics.results.error.inc();
      throw error;
    }
    this.verified.add(token, claims);
    // A signed token is the auth server's word that its integration has reached this revision.
    if (typeof claims.cv === 'number') this.denyList.noteRevision(claims.client_id, claims.cv);
    return claims;
  }

  /** The check bound to the token's signing key (by kid), found in the JWKS the first time and every few minutes. */
  private async signatureCheckFor(token: string): Promise<SignatureCheck> {
    const header = protectedHeader(token);
    const known = this.checks.get(header.kid);
    if (known && Date.now() - known.foundAtMs < KEY_RECHECK_MS) return known.check;
    const key = await this.keySet({ alg: header.alg, kid: header.kid }, undefined as never);
    const pem = (key instanceof KeyObject ? key : KeyObject.from(key as webcrypto.CryptoKey)).export({ type: 'spki', format: 'pem' }) as string;
    const check = createVerifier({
      key: pem,
      algorithms: ['ES256'],
      checkTyp: 'at+jwt',
      allowedIss: this.options.issuer,
      allowedAud: this.options.audience ?? this.options.issuer,
      clockTolerance: (this.options.clockToleranceSeconds ?? 5) * 1000,
      requiredClaims: ['exp', 'iat', 'jti', 'client_id', 'sub'],
      cache: false,
    }) as SignatureCheck;
    this.checks.set(header.kid, { check, foundAtMs: Date.now() });
    return check;
  }

  /** Feed the registry's integration events here (their `applicationId` and `revision`): revocations are bounded by them. */
  integrationChanged(event: { applicationId?: unknown; revision?: unknown }): void {
    if (typeof event?.applicationId === 'string' && typeof event.revision === 'number') this.denyList.noteRevision(event.applicationId, event.revision);
  }

  /**
   * Feed `tessera.events.auth.token.revoked` here (and only that subject: only the auth server may publish it), with
   * when it reached the bus (the stream's stamp on a replay): what it claims is bounded by that.
   */
  revoked(event: TokenRevokedEvent, receivedAtMs = Date.now()): void {
    this.denyList.add(event, receivedAtMs);
    const revokedAtMs = typeof event?.clientId === 'string' ? Date.parse(event.revokedAt) : NaN;
    // Clocks of two hosts may disagree by a little: a negative lag is none.
    if (revokedAtMs >= this.startedAtMs) this.metrics.revocationLag.observe(Math.max(0, Date.now() - revokedAtMs) / 1000);
  }

  close(): void {
    clearInterval(this.pruneTimer);
    this.metrics.unmeasure();
  }
}

/** The JOSE header, read only to pick the key; fast-jwt checks it again, signature and all. */
function protectedHeader(token: string): { alg: string; kid: string } {
  const end = typeof token === 'string' ? token.indexOf('.') : -1;
  let header: unknown;
  try {
    header = end > 0 ? JSON.parse(Buffer.from(token.slice(0, end), 'base64url').toString('utf8')) : undefined;
  } catch {
    header = undefined;
  }
  const { alg, kid } = (header ?? {}) as { alg?: unknown; kid?: unknown };
  if (alg !== 'ES256' || typeof kid !== 'string') throw new TokenError(TokenError.codes.malformed, 'The token header is not an ES256 header with a kid');
  return { alg, kid };
}

/** One process's memory of proof jtis, each kept past the proofs' iat window: enough for a single replica. */
function memoryReplayCache(maxAgeMs = 5 * 60_000): ReplayCache {
  const seen = new Map<string, number>();
  return {
    async claimOnce(key: string) {
      const now = Date.now();
      if (seen.size > 100_000) for (const [k, until] of seen) if (until <= now) seen.delete(k);
      if ((seen.get(key) ?? 0) > now) return false;
      seen.set(key, now + maxAgeMs);
      return true;
    },
  };
}
