import { Inject, Injectable } from '@nestjs/common';
import { BusError, Events, type TokenIssuedEvent, type TokenRequest, type TokenResponse } from '@tessera/contracts';
import { grantScope } from '@tessera/permissions';
import type { Bus } from '@tessera/messaging';
import type { Clock } from '@tessera/observability';
import { BUS, CLOCK, ISSUER } from '@tessera/runtime';
import { refusal, type AuthenticatedClient } from '../../clients/client-directory.js';
import { SigningKeysService } from '../../keys/signing-keys.service.js';
import type { NewFamily } from '../refresh-token-family.store.js';
import { tokenHash } from '@tessera/crypto';
import { TokenMetrics } from '../token-metrics.js';

/** RFC 8707: an absolute URI without a fragment (printable ASCII only) names the resource server a token is for. */
export function isResourceIndicator(value: string): boolean {
  return value.length <= 2048 && /^[a-z][a-z0-9+.-]*:\/\/[\x21-\x22\x24-\x7e]+$/i.test(value);
}

/** P6: "A refresh_token will normally expire after 28 days." */
const REFRESH_TOKEN_LIFETIME_MS = 28 * 86_400_000;

/** What a grant decided: who gets which scope, for which audience. */
export interface Grant {
  client: AuthenticatedClient;
  subject: string;
  scope: string;
  grantType: string;
  audience: string;
}

export interface AccessToken {
  token: string;
  expiresIn: number;
  jti: string;
  exp: number;
}

/** One grant type of the token endpoint, for a client already authenticated and allowed to use it. */
export interface TokenGrant {
  issue(client: AuthenticatedClient, params: TokenRequest['params']): Promise<TokenResponse>;
}

/** What every grant does once it has decided: sign the access token, make a family, answer, announce. */
@Injectable()
export class TokenIssuance {
  constructor(
    private readonly keys: SigningKeysService,
    @Inject(CLOCK) private readonly clock: Clock,
    /** The token's `iss`, and its `aud` when no resource is named. */
    @Inject(ISSUER) readonly issuer: string,
    @Inject(BUS) private readonly bus: Bus,
    private readonly metrics: TokenMetrics,
  ) {}

  audience(params: TokenRequest['params']): string {
    const resource = params.resource;
    if (resource === undefined) return this.issuer;
    // RFC 8707: an absolute URI without a fragment names the resource server the token is for.
    if (!isResourceIndicator(resource)) throw BusError.oauth('invalid_request', 'resource must be an absolute URI without a fragment');
    return resource;
  }

  scopeFor(client: AuthenticatedClient, requested: string | undefined): string {
    const decision = grantScope(client.permissions, requested);
    if ('rejected' in decision)
      throw refusal(client, BusError.oauth('invalid_scope', `Not permitted for this client: ${decision.rejected.join(' ').slice(0, 500)}`));
    if (!decision.granted.length) throw refusal(client, BusError.oauth('invalid_scope', 'This integration has no permissions to grant'));
    return decision.granted.join(' ');
  }

  newFamily(grant: Grant, familyId: string, refreshToken: string): NewFamily {
    const now = this.clock.now();
    return {
      id: familyId,
      integrationId: grant.client.integrationId,
      clientId: grant.client.applicationId,
      subject: grant.subject,
      scope: grant.scope,
      grantType: grant.grantType,
      createdAt: now,
      expiresAt: grant.client.refreshTokensValidUntilRevoked ? null : new Date(now.getTime() + REFRESH_TOKEN_LIFETIME_MS),
      tokenHash: tokenHash(refreshToken),
      clientRevision: grant.client.revision,
    };
  }

  /**
   * `tessera.events.auth.token.issued` (who got what, never the token), after the grant is committed. It goes out as a
   * notification, not through the outbox: thousands a second, and the grant itself is durable in Postgres.
   */
  announceIssued(grant: Grant, access: AccessToken, familyId?: string): void {
    const data: TokenIssuedEvent = {
      jti: access.jti,
      ...(familyId ? { familyId } : {}),
      clientId: grant.client.applicationId,
      integrationId: grant.client.integrationId,
      grantType: grant.grantType,
      scope: grant.scope,
      expiresAt: new Date(access.exp * 1000).toISOString(),
    };
    this.bus.notify({ id: this.clock.uuid(), type: Events.tokenIssued, occurredAt: this.clock.now().toISOString(), data });
    this.metrics.issued(grant.grantType, grant.client.applicationId);
  }

  async accessToken(grant: Grant, familyId?: string): Promise<AccessToken> {
    const iat = Math.floor(this.clock.now().getTime() / 1000);
    const expiresIn = grant.client.accessTokenTtlSeconds;
    const jti = this.clock.uuid();
    const token = await this.keys.sign({
      iss: this.issuer,
      sub: grant.subject,
      aud: grant.audience,
      client_id: grant.client.applicationId,
      scope: grant.scope,
      jti,
      iat,
      exp: iat + expiresIn,
      ...(familyId ? { fid: familyId } : {}),
      // The integration revision this token was issued under: a client-wide revocation names the first revision
      // whose tokens stay valid, so verifiers refuse tokens a replica with an outdated record issued (ADR 0013).
      cv: grant.client.revision,
      // RFC 9449 §6.1: bound to the key of the request's DPoP proof; verifiers then want a proof with that key.
      ...(grant.client.dpopJkt ? { cnf: { jkt: grant.client.dpopJkt } } : {}),
    });
    return { token, expiresIn, jti, exp: iat + expiresIn };
  }

  response(access: AccessToken, grant: Grant, refreshToken?: string): TokenResponse {
    return {
      access_token: access.token,
      token_type: grant.client.dpopJkt ? 'DPoP' : 'Bearer',
      expires_in: access.expiresIn,
      ...(refreshToken ? { refresh_token: refreshToken } : {}),
      scope: grant.scope,
    };
  }
}
