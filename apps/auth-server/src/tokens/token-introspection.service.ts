import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { IntrospectionRequest, IntrospectionResponse, RevocationRequest } from '@tessera/contracts';
import { EventOutbox, type Clock } from '@tessera/persistence';
import { CLOCK, ISSUER } from '@tessera/runtime';
import { createLocalJWKSet, jwtVerify, type JWTPayload } from 'jose';
import { DataSource } from 'typeorm';
import { ClientDirectory } from '../clients/client-directory.js';
import { SigningKeysService } from '../keys/signing-keys.service.js';
import { RevocationService, type AccessTokenClaims } from './revocation.service.js';
import { tokenHash } from './token-hash.js';

const INACTIVE: IntrospectionResponse = { active: false };
const looksLikeJwt = (token: string) => token.split('.').length === 3;

/** RFC 7662 introspection and RFC 7009 revocation, both for authenticated clients. */
@Injectable()
export class TokenIntrospectionService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clients: ClientDirectory,
    private readonly keys: SigningKeysService,
    private readonly revocations: RevocationService,
    private readonly outbox: EventOutbox,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ISSUER) private readonly issuer: string,
  ) {}

  /** Any authenticated client (a resource server) may introspect access tokens; refresh tokens only their own. */
  async introspect(request: IntrospectionRequest): Promise<IntrospectionResponse> {
    const client = await this.clients.authenticate(request.client, request.address);
    if (looksLikeJwt(request.token)) {
      const claims = await this.verifiedAccessToken(request.token);
      if (!claims) return INACTIVE;
      return {
        active: true, token_type: 'access_token', scope: String(claims.scope ?? ''), client_id: claims.client_id, sub: claims.sub,
        exp: claims.exp, iat: claims.iat, iss: claims.iss, aud: claims.aud, jti: claims.jti,
      };
    }
    const family = await this.liveRefreshTokenFamily(request.token);
    if (!family || family.client_id !== client.applicationId) return INACTIVE;
    return {
      active: true, token_type: 'refresh_token', scope: family.scope, client_id: family.client_id, sub: family.subject, iss: this.issuer,
      iat: Math.floor(family.created_at.getTime() / 1000), ...(family.expires_at ? { exp: Math.floor(family.expires_at.getTime() / 1000) } : {}),
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
    await this.dataSource.transaction((manager) => this.revocations.revokeFamily(manager, family.id, 'api'));
    void this.outbox.flush();
  }

  private async verifiedAccessToken(token: string): Promise<(JWTPayload & AccessTokenClaims) | undefined> {
    try {
      const { payload } = await jwtVerify(token, createLocalJWKSet(this.keys.jwks() as never), {
        issuer: this.issuer, typ: 'at+jwt', algorithms: ['ES256'], currentDate: this.clock.now(),
      });
      const claims = payload as JWTPayload & AccessTokenClaims;
      if (typeof claims.jti !== 'string' || typeof claims.client_id !== 'string') return undefined;
      return (await this.revocations.isRevoked(claims)) ? undefined : claims;
    } catch {
      return undefined;
    }
  }

  private async liveRefreshTokenFamily(token: string) {
    if (token.length > 512) return undefined;
    const rows: { id: string; client_id: string; subject: string; scope: string; created_at: Date; expires_at: Date | null }[] = await this.dataSource.query(
      `SELECT f."id", f."client_id", f."subject", f."scope", f."created_at", f."expires_at" FROM "auth"."refresh_token" t
         JOIN "auth"."refresh_token_family" f ON f."id" = t."family_id"
        WHERE t."token_hash" = $1 AND t."rotated_at" IS NULL AND f."revoked_at" IS NULL AND (f."expires_at" IS NULL OR f."expires_at" > $2)`,
      [tokenHash(token), this.clock.now()],
    );
    return rows[0];
  }
}
