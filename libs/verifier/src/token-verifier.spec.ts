import { randomUUID } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TokenRejected, TokenVerifier } from './token-verifier.js';

const issuer = 'https://tessera.test';

async function signer() {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const jwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(jwk);
  const sign = (claims: Record<string, unknown>, ttlSeconds = 600) => {
    const iat = Math.floor(Date.now() / 1000);
    return new SignJWT({ client_id: 'c1', scope: '*:orgs=read', jti: randomUUID(), ...claims })
      .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid }).setIssuer(issuer).setSubject('c1').setAudience(issuer).setIssuedAt(iat).setExpirationTime(iat + ttlSeconds)
      .sign(privateKey);
  };
  return { jwks: { keys: [{ ...jwk, kid, alg: 'ES256', use: 'sig' }] }, sign };
}

describe('TokenVerifier', () => {
  const verifiers: TokenVerifier[] = [];
  const verifierFor = (jwks: object, cacheSize?: number) => {
    const verifier = new TokenVerifier({ issuer, keys: { load: async () => jwks as never }, cacheSize });
    verifiers.push(verifier);
    return verifier;
  };
  afterEach(() => {
    vi.useRealTimers();
    verifiers.splice(0).forEach((v) => v.close());
  });

  it('rejects a revoked token even when its verification is cached', async () => {
    const { jwks, sign } = await signer();
    const verifier = verifierFor(jwks);
    const token = await sign({ jti: 'j-1' });
    expect((await verifier.verify(token)).jti).toBe('j-1');
    expect((await verifier.verify(token)).jti).toBe('j-1');
    verifier.revoked({ jti: 'j-1', clientId: 'c1', reason: 'api', revokedAt: new Date().toISOString(), expiresAt: new Date(Date.now() + 600_000).toISOString() });
    await expect(verifier.verify(token)).rejects.toBeInstanceOf(TokenRejected);
  });

  it('checks the scope on every call, cached or not', async () => {
    const { jwks, sign } = await signer();
    const verifier = verifierFor(jwks);
    const token = await sign({});
    await verifier.verify(token, '*:orgs=read');
    await expect(verifier.verify(token, '*:platform=admin')).rejects.toMatchObject({ error: 'insufficient_scope' });
  });

  it('forgets a cached token at its expiry and then rejects it', async () => {
    const { jwks, sign } = await signer();
    const verifier = verifierFor(jwks);
    const token = await sign({}, 60);
    await verifier.verify(token);
    vi.useFakeTimers({ now: Date.now() + 120_000, toFake: ['Date'] });
    await expect(verifier.verify(token)).rejects.toMatchObject({ error: 'invalid_token' });
  });

  it('never caches a token that failed verification', async () => {
    const { jwks } = await signer();
    const other = await signer();
    const verifier = verifierFor(jwks);
    const forged = await other.sign({});
    await expect(verifier.verify(forged)).rejects.toBeInstanceOf(TokenRejected);
    await expect(verifier.verify(forged)).rejects.toBeInstanceOf(TokenRejected);
  });
});
