import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ClientDirectory } from '../clients/client-directory.js';
import type { SigningKeysService } from '../keys/signing-keys.service.js';
import type { RefreshTokenFamilyStore } from './refresh-token-family.store.js';
import type { AccessTokenClaims, RevocationService } from './revocation.service.js';
import { TokenIntrospectionService } from './token-introspection.service.js';

const ISSUER = 'https://tessera.test';
const CLIENT = { applicationId: 'app-1', permissions: [] };

/** The revocation side, answering from memory or failing like a database that went away under the query. */
class Revocations {
  databaseDown = false;
  readonly revoked: string[] = [];
  async isRevoked(claims: AccessTokenClaims): Promise<boolean> {
    if (this.databaseDown) throw Object.assign(new Error('Connection terminated unexpectedly'), { code: '57P01' });
    return this.revoked.includes(claims.jti);
  }
  async revokeAccessToken(claims: AccessTokenClaims): Promise<void> {
    if (this.databaseDown) throw new Error('Connection terminated unexpectedly');
    this.revoked.push(claims.jti);
  }
}

describe('revocation (RFC 7009) when the database cannot say whether a token was revoked', () => {
  let service: TokenIntrospectionService;
  let revocations: Revocations;
  let token: string;

  beforeAll(async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
    token = await new SignJWT({ client_id: CLIENT.applicationId, jti: 'jti-1', scope: '' })
      .setProtectedHeader({ alg: 'ES256', kid: 'k1', typ: 'at+jwt' })
      .setIssuer(ISSUER)
      .setSubject(CLIENT.applicationId)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(privateKey);
    revocations = new Revocations();
    service = new TokenIntrospectionService(
      {} as RefreshTokenFamilyStore,
      { authenticate: async () => CLIENT } as unknown as ClientDirectory,
      { jwks: () => ({ keys: [jwk] }) } as unknown as SigningKeysService,
      revocations as unknown as RevocationService,
      { now: () => new Date(), uuid: () => 'u' } as never,
      ISSUER,
    );
  });

  it('fails (an outage the edge answers 503) rather than answering as for an unknown token, which would leave it valid', async () => {
    revocations.databaseDown = true;
    await expect(service.revoke({ client: {} as never, address: '127.0.0.1', token })).rejects.toThrow(/Connection terminated/);
    await expect(service.introspect({ client: {} as never, address: '127.0.0.1', token })).rejects.toThrow(/Connection terminated/);
    expect(revocations.revoked).toEqual([]);

    revocations.databaseDown = false;
    await service.revoke({ client: {} as never, address: '127.0.0.1', token });
    expect(revocations.revoked).toEqual(['jti-1']);
  });

  it('still answers a token that is not ours, or not a valid one, as unknown (a silent 200)', async () => {
    await expect(service.revoke({ client: {} as never, address: '127.0.0.1', token: `${token.slice(0, -4)}AAAA` })).resolves.toBeUndefined();
    await expect(service.introspect({ client: {} as never, address: '127.0.0.1', token: 'a.b.c' })).resolves.toEqual({ active: false });
  });
});
