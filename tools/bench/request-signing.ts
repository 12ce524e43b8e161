/**
 * What a client signs for each token request, made in the load generator (its CPU is the client's, not counted):
 * a private_key_jwt client assertion (RFC 7523 §2.2) in the body, a DPoP proof (RFC 9449 §4) in a header. Each is
 * new on every request (own `jti`, `iat` now), as the server refuses a replay. ES256 with node:crypto, so the
 * generator's own cost per request stays small.
 */
import { createPrivateKey, randomUUID, sign, type JsonWebKey, type KeyObject } from 'node:crypto';

export interface RequestSigning {
  /** private_key_jwt: `client_assertion` signed with this key, `iss` = `sub` = the client, `aud` the issuer. */
  assertion?: { clientId: string; audience: string; privateJwk: JsonWebKey; kid: string };
  /** DPoP: a proof for `htm` `htu` with the server's nonce (the token endpoint asks for one in every proof). */
  dpop?: { privateJwk: JsonWebKey; htm: string; htu: string; nonce?: string };
}

const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

function es256(header: Record<string, unknown>, claims: Record<string, unknown>, key: KeyObject): string {
  const input = `${part(header)}.${part(claims)}`;
  return `${input}.${sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
}

/** A signer for one load: the body and headers of each request, and the nonce the server last gave. */
export function requestSigner(spec: RequestSigning) {
  const assertionKey = spec.assertion && createPrivateKey({ key: spec.assertion.privateJwk, format: 'jwk' });
  const dpopKey = spec.dpop && createPrivateKey({ key: spec.dpop.privateJwk, format: 'jwk' });
  const { d: _d, ...publicJwk } = spec.dpop?.privateJwk ?? {};
  let nonce = spec.dpop?.nonce;
  return {
    body(base: string): string {
      const a = spec.assertion;
      if (!a || !assertionKey) return base;
      const now = Math.floor(Date.now() / 1000);
      const assertion = es256(
        { alg: 'ES256', typ: 'JWT', kid: a.kid },
        { iss: a.clientId, sub: a.clientId, aud: a.audience, jti: randomUUID(), iat: now, exp: now + 60 },
        assertionKey,
      );
      return `${base}&client_assertion_type=${encodeURIComponent('urn:ietf:params:oauth:client-assertion-type:jwt-bearer')}&client_assertion=${assertion}`;
    },
    headers(): Record<string, string> {
      const d = spec.dpop;
      if (!d || !dpopKey) return {};
      const claims = { htm: d.htm, htu: d.htu, jti: randomUUID(), iat: Math.floor(Date.now() / 1000), ...(nonce ? { nonce } : {}) };
      return { dpop: es256({ alg: 'ES256', typ: 'dpop+jwt', jwk: publicJwk }, claims, dpopKey) };
    },
    /** A `DPoP-Nonce` in any answer replaces the one proofs carry. */
    answered(headers: Record<string, string | string[] | undefined>): void {
      const given = headers['dpop-nonce'];
      if (typeof given === 'string') nonce = given;
    },
  };
}
