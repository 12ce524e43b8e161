import { Inject, Injectable } from '@nestjs/common';
import type { IntrospectionRequest, IntrospectionResponse, RevocationRequest } from '@tessera/contracts';
import type { Clock } from '@tessera/observability';
import { mayIntrospect } from '@tessera/permissions';
import { CLOCK, ISSUER } from '@tessera/runtime';
import { createLocalJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';
import { ClientDirectory } from '../clients/client-directory.js';
import { SigningKeysService } from '../keys/signing-keys.service.js';
import { RefreshTokenFamilyStore } from './refresh-token-family.store.js';
import { RevocationService, type AccessTokenClaims } from './revocation.service.js';
import { tokenHash } from '@tessera/crypto';

const INACTIVE: IntrospectionResponse = { active: false };
const looksLikeJwt = (token: string) => token.split('.').length === 3;

/** RFC 7662 introspection and RFC 7009 revocation, both for authenticated clients. */
@Injectable()
export class TokenIntrospectionService {
  constructor(
    private readonly families: RefreshTokenFamilyStore,
    private readonly clients: ClientDirectory,
    private readonly keys: SigningKeysService,
    private readonly revocations: RevocationService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ISSUER) private readonly issuer: string,
  ) {}

  /**
   * RFC 7662 §4: a client learns about its own access tokens, a resource server (INTROSPECTION_PERMISSION) about any;
   * refresh tokens only their own client. Everything else is `{"active": false}`, exactly like an unknown token.
   */
  async introspect(request: IntrospectionRequest): Promise<IntrospectionResponse> {
    const client = await this.clients.authenticate(request.client, request.address);
    if (looksLikeJwt(request.token)) {
      const claims = await this.verifiedAccessToken(request.token);
      if (!claims || !mayIntrospect({ clientId: client.applicationId, permissions: client.permissions }, claims.client_id)) return INACTIVE;
      return {
        active: true,
        // RFC 7662 §2.2: the token's type as RFC 6749 §7.1 names it, the one the token endpoint answered.
        token_type: claims.cnf?.jkt ? 'DPoP' : 'Bearer',
        ...(claims.cnf?.jkt ? { cnf: { jkt: claims.cnf.jkt } } : {}),
        scope: String(claims.scope ?? ''),
        client_id: claims.client_id,
        sub: claims.sub,
        exp: claims.exp,
        iat: claims.iat,
        iss: claims.iss,
        aud: claims.aud,
        jti: claims.jti,
      };
    }
    const family = await this.liveRefreshTokenFamily(request.token);
    if (!family || family.client_id !== client.applicationId) return INACTIVE;
    return {
      // No token_type: RFC 6749 §7.1 types access tokens; a refresh token has none, and saying "Bearer" would be wrong.
      active: true,
      scope: family.scope,
      client_id: family.client_id,
      sub: family.subject,
      iss: this.issuer,
      iat: Math.floor(family.created_at.getTime() / 1000),
      ...(family.expires_at ? { exp: Math.floor(family.expires_at.getTime() / 1000) } : {}),
    };
  }

  /** A client may revoke only its own tokens; anything else (unknown, foreign, already revoked) is a silent 200 (RFC 7009 §2.2). */
  async revoke(request: RevocationRequest): Promise<void> {
    const client = await this.clients.authenticate(request.client, request.address);
    if (looksLikeJwt(request.token)) {
      const claims = await this.verifiedAccessToken(request.token);
      if (claims && claims.client_id === client.applicationId) await this.revocations.revokeAccessToken(claims, 'api');
      return;
    }
    const family = await this.liveRefreshTokenFamily(request.token);
    if (!family || family.client_id !== client.applicationId) return;
    await this.revocations.revokeFamilyNow(family.id, 'api');
  }

  /**
   * The token's claims if it is ours, valid and not revoked. Only the token's own faults make it unknown: a database
   * that cannot say whether it was revoked is an outage (503), never a token treated as invalid — a revocation
   * answered 200 that revoked nothing would leave the token accepted.
   */
  private async verifiedAccessToken(token: string): Promise<(JWTPayload & AccessTokenClaims) | undefined> {
    let claims: JWTPayload & AccessTokenClaims;
    try {
      const { payload } = await jwtVerify(token, createLocalJWKSet(this.keys.jwks() as never), {
        issuer: this.issuer,
        typ: 'at+jwt',
        algorithms: ['ES256'],
        currentDate: this.clock.now(),
      });
      claims = payload as JWTPayload & AccessTokenClaims;
    } catch (error) {
      if (error instanceof errors.JOSEError) return undefined;
      throw error;
    }
    if (typeof claims.jti !== 'string' || typeof claims.client_id !== 'string') return undefined;
    return (await this.revocations.isRevoked(claims)) ? undefined : claims;
  }

  private async liveRefreshTokenFamily(token: string) {
    if (token.length > 512) return undefined;
    return this.families.liveByToken(tokenHash(token), this.clock.now());
  }
}
