import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { createHash, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DpopNonces, DpopProofVerifier } from './dpop-proof.js';

const URL_ = 'https://api.example.com/resource';

async function client(alg = 'ES256') {
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
  const jwk = await exportJWK(publicKey);
  const proof = (claims: Record<string, unknown> = {}, header: Record<string, unknown> = {}) =>
    new SignJWT({ htm: 'GET', htu: URL_, jti: randomUUID(), ...claims })
      .setProtectedHeader({ alg, typ: 'dpop+jwt', jwk, ...header })
      .setIssuedAt((claims.iat as number) ?? Math.floor(Date.now() / 1000))
      .sign(privateKey);
  return { jwk, proof, privateKey };
}

/** One replica's memory of used jtis (the NATS-backed one shared by replicas is tested in libs/messaging). */
function replayCache() {
  const seen = new Set<string>();
  return { claimOnce: async (key: string) => !seen.has(key) && Boolean(seen.add(key)) };
}
const verifier = (nonces?: DpopNonces) => new DpopProofVerifier({ replay: replayCache(), nonces });
const refused = (error: string, message?: RegExp) => ({ name: 'DpopProofRejected', error, ...(message ? { message: expect.stringMatching(message) } : {}) });

describe('DPoP proofs made by jose (RFC 9449 §4.3)', () => {
  it.each(['ES256', 'ES384', 'PS256', 'RS256', 'EdDSA'])('accepts a %s proof and binds to the RFC 7638 thumbprint of its key', async (alg) => {
    const c = await client(alg);
    const verified = await verifier().verify(await c.proof(), { method: 'GET', url: `${URL_}?q=1` });
    expect(verified.jkt).toBe(await calculateJwkThumbprint(c.jwk as JWK));
  });

  it('refuses a replayed proof', async () => {
    const c = await client();
    const v = verifier();
    const proof = await c.proof();
    await v.verify(proof, { method: 'GET', url: URL_ });
    await expect(v.verify(proof, { method: 'GET', url: URL_ })).rejects.toMatchObject(refused('invalid_dpop_proof', /already used/));
  });

  it('refuses a proof for another method or URL, an old one, and one whose ath is not the token', async () => {
    const c = await client();
    await expect(verifier().verify(await c.proof(), { method: 'POST', url: URL_ })).rejects.toMatchObject(refused('invalid_dpop_proof', /htm/));
    await expect(verifier().verify(await c.proof(), { method: 'GET', url: 'https://api.example.com/other' })).rejects.toMatchObject(
      refused('invalid_dpop_proof', /htu/),
    );
    const old = Math.floor(Date.now() / 1000) - 600;
    await expect(verifier().verify(await c.proof({ iat: old }), { method: 'GET', url: URL_ })).rejects.toMatchObject(refused('invalid_dpop_proof', /iat/));
    const ath = createHash('sha256').update('the-token').digest('base64url');
    await expect(verifier().verify(await c.proof({ ath }), { method: 'GET', url: URL_, accessToken: 'the-token' })).resolves.toBeTruthy();
    await expect(verifier().verify(await c.proof({ ath }), { method: 'GET', url: URL_, accessToken: 'another' })).rejects.toMatchObject(
      refused('invalid_dpop_proof', /ath/),
    );
  });

  it('refuses a wrong typ, a symmetric algorithm, a private jwk, and a signature by another key', async () => {
    const c = await client();
    const other = await client();
    await expect(verifier().verify(await c.proof({}, { typ: 'JWT' }), { method: 'GET', url: URL_ })).rejects.toMatchObject(
      refused('invalid_dpop_proof', /typ/),
    );
    const hs = await new SignJWT({ htm: 'GET', htu: URL_, jti: randomUUID() })
      .setProtectedHeader({ alg: 'HS256', typ: 'dpop+jwt', jwk: c.jwk })
      .setIssuedAt()
      .sign(new Uint8Array(32));
    await expect(verifier().verify(hs, { method: 'GET', url: URL_ })).rejects.toMatchObject(refused('invalid_dpop_proof', /asymmetric/));
    const privateJwk = await exportJWK(c.privateKey);
    await expect(verifier().verify(await c.proof({}, { jwk: privateJwk }), { method: 'GET', url: URL_ })).rejects.toMatchObject(
      refused('invalid_dpop_proof', /public/),
    );
    await expect(verifier().verify(await c.proof({}, { jwk: other.jwk }), { method: 'GET', url: URL_ })).rejects.toMatchObject(
      refused('invalid_dpop_proof', /signature/),
    );
  });

  it('asks for a nonce with use_dpop_nonce, and takes one from another replica with the same key', async () => {
    const c = await client();
    const key = Buffer.alloc(32, 9);
    const replicaA = new DpopNonces(key);
    const replicaB = new DpopNonces(key);
    await expect(verifier(replicaA).verify(await c.proof(), { method: 'GET', url: URL_ })).rejects.toMatchObject(refused('use_dpop_nonce'));
    await expect(verifier(replicaB).verify(await c.proof({ nonce: replicaA.current() }), { method: 'GET', url: URL_ })).resolves.toBeTruthy();
    await expect(verifier(replicaB).verify(await c.proof({ nonce: 'made-up' }), { method: 'GET', url: URL_ })).rejects.toMatchObject(refused('use_dpop_nonce'));
  });

  it('accepts a nonce of the previous window and not an older one', () => {
    let now = 0;
    const nonces = new DpopNonces(Buffer.alloc(32, 1), 1000, () => now);
    const first = nonces.current();
    now = 1500;
    expect(nonces.accepts(first)).toBe(true);
    now = 2500;
    expect(nonces.accepts(first)).toBe(false);
  });
});
