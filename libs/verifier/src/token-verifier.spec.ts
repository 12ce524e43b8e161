import { randomUUID } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TokenRejected, TokenVerifier } from './token-verifier.js';

const issuer = 'https://tessera.test';

async function signer() {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const jwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(jwk);
  const sign = (claims: Record<string, unknown>, ttlSeconds = 600, header: Record<string, unknown> = {}) => {
    const iat = Math.floor(Date.now() / 1000);
    return new SignJWT({ client_id: 'c1', scope: '*:orgs=read', jti: randomUUID(), iss: issuer, sub: 'c1', aud: issuer, iat, exp: iat + ttlSeconds, ...claims })
      .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid, ...header })
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
    verifier.revoked({
      jti: 'j-1',
      clientId: 'c1',
      reason: 'api',
      revokedAt: new Date().toISOString(),
      expiresAt: new Date(Date.now() + 600_000).toISOString(),
    });
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

  it.each([
    ['another issuer', { iss: 'https://elsewhere.test' }, {}],
    ['another audience', { aud: 'https://resource.test' }, {}],
    ['no jti', { jti: undefined }, {}],
    ['no client_id', { client_id: undefined }, {}],
    ['a typ other than at+jwt', {}, { typ: 'JWT' }],
  ])('rejects a token with %s', async (_label, claims, header) => {
    const { jwks, sign } = await signer();
    const verifier = verifierFor(jwks, 0);
    await expect(verifier.verify(await sign(claims, 600, header))).rejects.toMatchObject({ error: 'invalid_token' });
  });

  it('rejects an expired token beyond the clock tolerance, and accepts one within it', async () => {
    const { jwks, sign } = await signer();
    const verifier = verifierFor(jwks, 0);
    const now = Math.floor(Date.now() / 1000);
    await expect(verifier.verify(await sign({ iat: now - 120, exp: now - 30 }))).rejects.toMatchObject({ error: 'invalid_token' });
    expect((await verifier.verify(await sign({ iat: now - 120, exp: now - 2 }))).client_id).toBe('c1');
  });

  it('rejects a token whose payload was changed after signing', async () => {
    const { jwks, sign } = await signer();
    const verifier = verifierFor(jwks, 0);
    const [header, payload, signature] = (await sign({})).split('.');
    const widened = { ...JSON.parse(Buffer.from(payload, 'base64url').toString()), scope: '*:platform=admin' };
    await expect(verifier.verify(`${header}.${Buffer.from(JSON.stringify(widened)).toString('base64url')}.${signature}`)).rejects.toMatchObject({
      error: 'invalid_token',
    });
  });

  it('rejects unsigned and HMAC tokens, and garbage', async () => {
    const { jwks, sign } = await signer();
    const verifier = verifierFor(jwks, 0);
    const [, payload] = (await sign({})).split('.');
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'at+jwt' })).toString('base64url')}.${payload}.`;
    const kid = jwks.keys[0].kid;
    const hs256 = await new SignJWT(JSON.parse(Buffer.from(payload, 'base64url').toString()))
      .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid })
      .sign(Buffer.from(JSON.stringify(jwks.keys[0])));
    for (const token of [none, hs256, 'not-a-token', '..', `${'a'.repeat(10)}.b.c`]) {
      await expect(verifier.verify(token)).rejects.toMatchObject({ error: 'invalid_token' });
    }
  });

  it('accepts tokens of a key added to the JWKS later (rotation), once it reloads', async () => {
    const first = await signer();
    const second = await signer();
    let jwks = first.jwks;
    const verifier = new TokenVerifier({ issuer, keys: { load: async () => jwks as never }, cacheSize: 0 });
    verifiers.push(verifier);
    await verifier.verify(await first.sign({}));
    jwks = { keys: [...first.jwks.keys, ...second.jwks.keys] };
    // The key set reloads on an unknown kid at most every 5 s.
    vi.useFakeTimers({ now: Date.now() + 6_000, toFake: ['Date'] });
    expect((await verifier.verify(await second.sign({ jti: 'rotated' }))).jti).toBe('rotated');
    expect((await verifier.verify(await first.sign({ jti: 'older' }))).jti).toBe('older');
  });

  it('stops accepting a key withdrawn from the JWKS once it looks the key up again', async () => {
    const first = await signer();
    let jwks: { keys: object[] } = first.jwks;
    const verifier = new TokenVerifier({ issuer, keys: { load: async () => jwks as never }, cacheSize: 0 });
    verifiers.push(verifier);
    await verifier.verify(await first.sign({}, 3_600));
    jwks = { keys: [] };
    const token = await first.sign({}, 3_600);
    vi.useFakeTimers({ now: Date.now() + 6 * 60_000, toFake: ['Date'] });
    await expect(verifier.verify(token)).rejects.toMatchObject({ error: 'invalid_token' });
  });
});
