import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import type { SigningKey } from './signing-key.js';

/** RFC 7523 §2.2's client assertion type. */
export const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/**
 * How long an assertion is good for. Short, so a copied one is soon useless (OpenID Connect Core §9 wants a short
 * expiry; Google refuses more than an hour): it is made for one request and sent at once.
 */
export const ASSERTION_LIFETIME_SECONDS = 300;

export interface AssertionClaims {
  iss: string;
  /** Absent only for a jwt_bearer provider that wants none (a Google service account acting as itself). */
  sub?: string;
  aud: string;
  /** jwt_bearer providers that take the scopes in the assertion (Google, DocuSign). */
  scope?: string;
}

/** One signed assertion (RFC 7523 §3): a fresh jti each time, issued now, expiring shortly, kid in the header. */
export function signAssertion(key: SigningKey, claims: AssertionClaims, now: Date): Promise<string> {
  const iat = Math.floor(now.getTime() / 1000);
  return new SignJWT({ ...(claims.sub ? { sub: claims.sub } : {}), ...(claims.scope ? { scope: claims.scope } : {}) })
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT' })
    .setIssuer(claims.iss)
    .setAudience(claims.aud)
    .setJti(randomUUID())
    .setIssuedAt(iat)
    .setExpirationTime(iat + ASSERTION_LIFETIME_SECONDS)
    .sign(key.privateKey);
}
