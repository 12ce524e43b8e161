// The vocabulary entry (no validators behind it): a resource server embedding the verifier loads no class-validator.
import { ASYMMETRIC_SIGNING_ALGORITHMS } from '@tessera/contracts/vocabulary';
import type { ReplayCache } from '@tessera/contracts';
import { constants, createHash, createHmac, createPublicKey, timingSafeEqual, verify, type KeyObject } from 'node:crypto';

/** Why a DPoP proof was refused: `use_dpop_nonce` asks the client to retry with the nonce we send (RFC 9449 §8). */
export class DpopProofRejected extends Error {
  constructor(
    readonly error: 'invalid_dpop_proof' | 'use_dpop_nonce',
    message: string,
  ) {
    super(message);
    this.name = 'DpopProofRejected';
  }
}

/** What a proof must match: the request it came with (RFC 9449 §4.3). */
export interface DpopRequest {
  method: string;
  /** The request's URL as the client addressed it; query and fragment are ignored. */
  url: string;
  /** At a resource server: the access token presented with the proof (its hash is the proof's `ath`). */
  accessToken?: string;
}

export interface VerifiedDpopProof {
  /** The RFC 7638 thumbprint of the proof's key: the `cnf.jkt` a token is bound to. */
  jkt: string;
  jti: string;
}

/**
 * Server nonces (RFC 9449 §8) that every replica accepts without sharing state: the nonce is an HMAC of the current
 * time window under a key all replicas derive from the platform's master key. The current and the previous window's
 * nonces are accepted, so a nonce lives between one and two windows.
 */
export class DpopNonces {
  constructor(
    private readonly key: Buffer,
    private readonly windowMs = 5 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  current(): string {
    return this.nonceFor(Math.floor(this.now() / this.windowMs));
  }

  accepts(nonce: string | undefined): boolean {
    if (typeof nonce !== 'string') return false;
    const window = Math.floor(this.now() / this.windowMs);
    return [window, window - 1].some((w) => equal(this.nonceFor(w), nonce));
  }

  private nonceFor(window: number): string {
    return createHmac('sha256', this.key).update(`dpop-nonce:${window}`).digest('base64url').slice(0, 32);
  }
}

export interface DpopProofOptions {
  /** Where proof `jti`s are remembered, shared by the replicas (RFC 9449 §11.1). */
  replay: ReplayCache;
  /** Server nonces; when given, every proof must carry a current one. */
  nonces?: DpopNonces;
  /** How old (or how far in the future) a proof's `iat` may be, in seconds; 60 by default. */
  iatWindowSeconds?: number;
  now?: () => number;
}

/** node:crypto verification parameters per JWS algorithm (RFC 7518 §3; RFC 8037 for EdDSA). */
const SIGNATURE: Record<string, { hash: string | null; options?: object }> = {
  ES256: { hash: 'sha256', options: { dsaEncoding: 'ieee-p1363' } },
  ES384: { hash: 'sha384', options: { dsaEncoding: 'ieee-p1363' } },
  ES512: { hash: 'sha512', options: { dsaEncoding: 'ieee-p1363' } },
  RS256: { hash: 'sha256' },
  RS384: { hash: 'sha384' },
  RS512: { hash: 'sha512' },
  PS256: { hash: 'sha256', options: { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 } },
  PS384: { hash: 'sha384', options: { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 48 } },
  PS512: { hash: 'sha512', options: { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 64 } },
  EdDSA: { hash: null },
  Ed25519: { hash: null },
};
const CURVE_OF: Record<string, string> = { ES256: 'P-256', ES384: 'P-384', ES512: 'P-521' };
const ALGORITHMS = new Set<string>(ASYMMETRIC_SIGNING_ALGORITHMS);
/** The members of a public key per type, in RFC 7638's order (the thumbprint is over exactly these). */
const THUMBPRINT_MEMBERS: Record<string, string[]> = { EC: ['crv', 'kty', 'x', 'y'], RSA: ['e', 'kty', 'n'], OKP: ['crv', 'kty', 'x'] };
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];
const MAX_PROOF_LENGTH = 8192;
const MAX_KEYS = 10_000;

/**
 * Checks DPoP proofs (RFC 9449 §4.3) for the token endpoint and for resource servers alike. The signature is checked
 * with node:crypto, synchronously, and each client key is imported once (a proof is new on every request, so unlike
 * access tokens nothing can be cached per proof): jose's WebCrypto path would cost a promise and a thread-pool job
 * per proof (ADR 0010, ADR 0047).
 */
export class DpopProofVerifier {
  private readonly keys = new Map<string, { key: KeyObject; jkt: string }>();
  private readonly iatWindow: number;
  private readonly now: () => number;

  constructor(private readonly options: DpopProofOptions) {
    this.iatWindow = options.iatWindowSeconds ?? 60;
    this.now = options.now ?? Date.now;
  }

  /** The current server nonce, for the `DPoP-Nonce` header; undefined when nonces are off. */
  nonce(): string | undefined {
    return this.options.nonces?.current();
  }

  async verify(proof: string | string[] | undefined, request: DpopRequest): Promise<VerifiedDpopProof> {
    if (Array.isArray(proof)) throw new DpopProofRejected('invalid_dpop_proof', 'Send exactly one DPoP header');
    if (typeof proof !== 'string' || !proof || proof.length > MAX_PROOF_LENGTH) throw new DpopProofRejected('invalid_dpop_proof', 'A DPoP proof is required');
    const parts = proof.split('.');
    if (parts.length !== 3) throw new DpopProofRejected('invalid_dpop_proof', 'The DPoP proof is not a JWS');
    const header = part(parts[0]);
    const claims = part(parts[1]);
    if (header?.typ !== 'dpop+jwt') throw new DpopProofRejected('invalid_dpop_proof', 'The DPoP proof must have typ dpop+jwt');
    if (typeof header.alg !== 'string' || !ALGORITHMS.has(header.alg))
      throw new DpopProofRejected('invalid_dpop_proof', 'The DPoP proof must be signed with an asymmetric algorithm');
    const { key, jkt } = this.keyOf(header.jwk);
    const curve = CURVE_OF[header.alg];
    if (curve && (header.jwk as { crv?: unknown }).crv !== curve) throw new DpopProofRejected('invalid_dpop_proof', `${header.alg} needs a ${curve} key`);
    const signature = Buffer.from(parts[2], 'base64url');
    const { hash, options } = SIGNATURE[header.alg];
    let valid = false;
    try {
      valid = verify(hash, Buffer.from(`${parts[0]}.${parts[1]}`), { key, ...options } as never, signature);
    } catch {
      valid = false;
    }
    if (!valid) throw new DpopProofRejected('invalid_dpop_proof', 'The DPoP proof signature does not verify with its jwk');
    if (!claims) throw new DpopProofRejected('invalid_dpop_proof', 'The DPoP proof claims are not JSON');
    if (typeof claims.jti !== 'string' || !claims.jti || claims.jti.length > 256)
      throw new DpopProofRejected('invalid_dpop_proof', 'The DPoP proof needs a jti');
    if (claims.htm !== request.method.toUpperCase())
      throw new DpopProofRejected('invalid_dpop_proof', `The DPoP proof's htm must be ${request.method.toUpperCase()}`);
    if (typeof claims.htu !== 'string' || withoutQuery(claims.htu) !== withoutQuery(request.url))
      throw new DpopProofRejected('invalid_dpop_proof', "The DPoP proof's htu does not match this request's URL");
    const now = Math.floor(this.now() / 1000);
    if (typeof claims.iat !== 'number' || Math.abs(now - claims.iat) > this.iatWindow)
      throw new DpopProofRejected('invalid_dpop_proof', `The DPoP proof's iat must be within ${this.iatWindow} seconds of now`);
    if (request.accessToken !== undefined && !equal(String(claims.ath ?? ''), createHash('sha256').update(request.accessToken).digest('base64url')))
      throw new DpopProofRejected('invalid_dpop_proof', "The DPoP proof's ath does not match the access token");
    if (this.options.nonces && !this.options.nonces.accepts(claims.nonce as string | undefined))
      throw new DpopProofRejected('use_dpop_nonce', 'Use the server-provided DPoP nonce (the DPoP-Nonce header)');
    // Last, so a proof refused for any other reason does not use up its jti.
    if (!(await this.options.replay.claimOnce(`${jkt}\n${claims.jti}`))) throw new DpopProofRejected('invalid_dpop_proof', 'The DPoP proof was already used');
    return { jkt, jti: claims.jti };
  }

  /** The proof's public key, imported once per key: a private key or a symmetric one is refused (RFC 9449 §4.3). */
  private keyOf(jwk: unknown): { key: KeyObject; jkt: string } {
    if (!jwk || typeof jwk !== 'object') throw new DpopProofRejected('invalid_dpop_proof', 'The DPoP proof must carry its public key in jwk');
    const members = jwk as Record<string, unknown>;
    const names = THUMBPRINT_MEMBERS[members.kty as string];
    if (!names || PRIVATE_MEMBERS.some((member) => member in members))
      throw new DpopProofRejected('invalid_dpop_proof', "The DPoP proof's jwk must be a public EC, RSA or OKP key");
    if (names.some((name) => typeof members[name] !== 'string')) throw new DpopProofRejected('invalid_dpop_proof', "The DPoP proof's jwk is incomplete");
    const canonical = `{${names.map((name) => `"${name}":${JSON.stringify(members[name])}`).join(',')}}`;
    const cached = this.keys.get(canonical);
    if (cached) return cached;
    let key: KeyObject;
    try {
      key = createPublicKey({ key: Object.fromEntries(names.map((name) => [name, members[name]])) as never, format: 'jwk' });
    } catch {
      throw new DpopProofRejected('invalid_dpop_proof', "The DPoP proof's jwk is not a valid key");
    }
    const entry = { key, jkt: createHash('sha256').update(canonical).digest('base64url') };
    if (this.keys.size >= MAX_KEYS) this.keys.delete(this.keys.keys().next().value!);
    this.keys.set(canonical, entry);
    return entry;
  }
}

/** RFC 9449 §6.1: the `cnf.jkt` a DPoP-bound access token carries. */
export interface DpopConfirmation {
  jkt: string;
}

function part(segment: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** RFC 9449 §4.3: htu is compared without query and fragment, after normalising the URL (RFC 3986 §6). */
function withoutQuery(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return '';
  }
}

function equal(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
