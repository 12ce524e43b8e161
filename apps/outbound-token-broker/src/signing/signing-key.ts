import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { ASSERTION_ALGORITHMS, type AssertionAlgorithm } from '@tessera/contracts';
import { calculateJwkThumbprint, type JWK } from 'jose';

/** The public half of a signing key as a provider row keeps it: published in its JWKS, shown (without the key) in the view. */
export interface StoredSigningKey {
  kid: string;
  alg: AssertionAlgorithm;
  publicJwk: JWK;
  /** Made by the broker (rotatable), or given by an admin (a service-account file, a key the provider issued). */
  generated: boolean;
  createdAt: string;
}

/** A key to sign with: the private key opened from its seal, and the header it goes with. */
export interface SigningKey {
  privateKey: KeyObject;
  alg: AssertionAlgorithm;
  kid: string;
}

/** A private key in PKCS #8 PEM (what is sealed) and its public entry. */
export interface NewSigningKey {
  privatePem: string;
  stored: StoredSigningKey;
}

/** Why a given key is refused: the message for the request's field. */
export class SigningKeyProblem extends Error {}

/** ES256 unless told otherwise: short signatures, fast, and what OpenID Connect providers accept everywhere. */
export const DEFAULT_GENERATED_ALGORITHM: AssertionAlgorithm = 'ES256';

async function entry(privateKey: KeyObject, alg: AssertionAlgorithm, generated: boolean, now: Date, kid?: string): Promise<NewSigningKey> {
  // Only the public members go out: createPublicKey drops d, p, q and the rest.
  const { kty, crv, x, y, n, e } = createPublicKey(privateKey).export({ format: 'jwk' });
  const bare = Object.fromEntries(Object.entries({ kty, crv, x, y, n, e }).filter(([, v]) => v !== undefined)) as JWK;
  const keyId = kid ?? (await calculateJwkThumbprint(bare, 'sha256'));
  return {
    privatePem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    stored: { kid: keyId, alg, publicJwk: { ...bare, kid: keyId, alg, use: 'sig' }, generated, createdAt: now.toISOString() },
  };
}

/** A new key pair for private_key_jwt (or a jwt_bearer provider that takes a public key): P-256 for ES256, RSA 2048 otherwise. */
export function generateSigningKey(alg: AssertionAlgorithm, now: Date): Promise<NewSigningKey> {
  const { privateKey } = alg === 'ES256' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('rsa', { modulusLength: 2048 });
  return entry(privateKey, alg, true, now);
}

/** Which algorithms a key can sign with, and the one a key of its type gets when none is said. */
function algorithmsFor(key: KeyObject): { allowed: AssertionAlgorithm[]; preferred: AssertionAlgorithm } {
  if (key.asymmetricKeyType === 'rsa') {
    if ((key.asymmetricKeyDetails?.modulusLength ?? 0) < 2048) throw new SigningKeyProblem('an RSA key must be at least 2048 bits');
    return { allowed: ['RS256', 'PS256'], preferred: 'RS256' };
  }
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return { allowed: ['ES256'], preferred: 'ES256' };
  throw new SigningKeyProblem(
    `must be an RSA or P-256 private key (this is ${key.asymmetricKeyType ?? 'unknown'}); algorithms: ${ASSERTION_ALGORITHMS.join(', ')}`,
  );
}

/** A private key from PEM (PKCS #8, PKCS #1, SEC 1) or a private JWK in JSON; a pasted "\n" (from a JSON file) is a newline. */
function parsePrivateKey(text: string): { key: KeyObject; kid?: string } {
  const trimmed = text.trim();
  try {
    if (trimmed.startsWith('{')) {
      const jwk = JSON.parse(trimmed) as JWK;
      if (typeof jwk.d !== 'string') throw new SigningKeyProblem('must be a private key: this JWK has no private part (d)');
      return { key: createPrivateKey({ key: jwk as never, format: 'jwk' }), kid: typeof jwk.kid === 'string' ? jwk.kid : undefined };
    }
    return { key: createPrivateKey({ key: trimmed.replace(/\\n/g, '\n'), format: 'pem' }) };
  } catch (error) {
    if (error instanceof SigningKeyProblem) throw error;
    throw new SigningKeyProblem('must be a private key: PEM (-----BEGIN PRIVATE KEY-----) or a private JWK');
  }
}

/**
 * A key an admin gives (a service account's, or one the provider issued): checked to be an asymmetric private key
 * the algorithm fits. kid: the one given, else the JWK's own, else its RFC 7638 thumbprint.
 */
export async function importSigningKey(text: string, alg: AssertionAlgorithm | null, kid: string | null, now: Date): Promise<NewSigningKey> {
  const { key, kid: jwkKid } = parsePrivateKey(text);
  const { allowed, preferred } = algorithmsFor(key);
  const chosen = alg ?? preferred;
  if (!allowed.includes(chosen)) throw new SigningKeyProblem(`a ${key.asymmetricKeyType} key cannot sign ${chosen}: use ${allowed.join(' or ')}`);
  return entry(key, chosen, false, now, kid ?? jwkKid);
}

/** Whether an algorithm fits a stored key (a change of assertionAlgorithm alone). */
export function fits(stored: StoredSigningKey, alg: AssertionAlgorithm): boolean {
  return stored.publicJwk.kty === 'EC' ? alg === 'ES256' : alg !== 'ES256';
}
