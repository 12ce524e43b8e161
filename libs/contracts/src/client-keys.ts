import { registerDecorator } from 'class-validator';

/** A client's public key, as a JWK (RFC 7517): the members we read; others pass through. */
export interface ClientJwk {
  kty: 'EC' | 'RSA' | 'OKP';
  kid?: string;
  alg?: string;
  use?: string;
  [member: string]: unknown;
}
export interface ClientJwks {
  keys: ClientJwk[];
}

/** Members that only a private or symmetric key has (RFC 7518 §6.2.2, §6.3.2, §6.4; RFC 8037 §2). */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];
const MAX_KEYS = 20;

/** The document's shape of a JWK Set (the validator above checks more than a schema can say). */
export const JWKS_SCHEMA = {
  type: 'object',
  properties: {
    keys: { type: 'array', maxItems: MAX_KEYS, items: { type: 'object', properties: { kty: { enum: ['EC', 'RSA', 'OKP'] } }, required: ['kty'] } },
  },
  required: ['keys'],
};

/** Why a value is not a JWK Set of public asymmetric keys, or undefined when it is one. */
export function publicJwksProblem(value: unknown): string | undefined {
  if (!value || typeof value !== 'object' || !Array.isArray((value as { keys?: unknown }).keys)) return 'must be a JWK Set: {"keys": [...]}';
  const keys = (value as { keys: unknown[] }).keys;
  if (keys.length === 0 || keys.length > MAX_KEYS) return `must hold 1 to ${MAX_KEYS} keys`;
  for (const [i, key] of keys.entries()) {
    if (!key || typeof key !== 'object') return `keys[${i}] must be a JWK object`;
    const jwk = key as Record<string, unknown>;
    if (!['EC', 'RSA', 'OKP'].includes(jwk.kty as string)) return `keys[${i}].kty must be EC, RSA or OKP (asymmetric keys only)`;
    const secret = PRIVATE_MEMBERS.find((member) => member in jwk);
    if (secret) return `keys[${i}] holds the private member "${secret}": paste the public keys only`;
    if (jwk.kid !== undefined && typeof jwk.kid !== 'string') return `keys[${i}].kid must be a string`;
    if (jwk.use !== undefined && jwk.use !== 'sig') return `keys[${i}].use must be sig`;
  }
  if (JSON.stringify(value).length > 64_000) return 'must be at most 64 kB';
  return undefined;
}

/** A JWK Set of public asymmetric signing keys (private_key_jwt): a pasted private key is refused, not stored. */
export function IsPublicJwks() {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isPublicJwks',
      target: object.constructor,
      propertyName,
      validator: {
        validate: (value: unknown) => value === null || value === undefined || !publicJwksProblem(value),
        defaultMessage: (args) => `${propertyName} ${publicJwksProblem(args?.value) ?? 'is invalid'}`,
      },
    });
}
