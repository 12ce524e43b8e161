import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { BusError, Events, type IntegrationGrantType, type TokenIssuedEvent, type TokenRequest, type TokenResponse } from '@tessera/contracts';
import { randomToken } from '@tessera/crypto';
import { grantScope, parseScope } from '@tessera/permissions';
import { EventOutbox, type Clock } from '@tessera/persistence';
import { CLOCK, RUNTIME, type ServiceRuntime } from '@tessera/runtime';
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ClientDirectory, StaleClientRecord, type AuthenticatedClient } from '../clients/client-directory.js';
import { SigningKeysService } from '../keys/signing-keys.service.js';
import { FamilyWriter, insertFamiliesQuery, type NewFamily } from './family-writer.js';
import { IssuanceQuota } from './issuance-quota.js';
import { RevocationService } from './revocation.service.js';
import { tokenHash } from './token-hash.js';

/** RFC 8707: an absolute URI without a fragment (printable ASCII only) names the resource server a token is for. */
export function isResourceIndicator(value: string): boolean {
  return value.length <= 2048 && /^[a-z][a-z0-9+.-]*:\/\/[\x21-\x22\x24-\x7e]+$/i.test(value);
}

interface RotationState {
  rotated_at: Date | null;
  superseded_at: Date | null;
  replaced_by: string | null;
  successor_rotated_at: Date | null;
  successor_superseded_at: Date | null;
  client_revision: number | null;
}

/** A rotated token re-presented within the interval while its successor is unused is a retry, not re-use. */
export function withinReuseInterval(state: RotationState, intervalSeconds: number, now: Date): boolean {
  if (!state.rotated_at || !state.replaced_by || intervalSeconds <= 0) return false;
  if (state.successor_rotated_at || state.successor_superseded_at) return false;
  return now.getTime() - state.rotated_at.getTime() < intervalSeconds * 1000;
}

/** P6: "A refresh_token will normally expire after 28 days." */
export const REFRESH_TOKEN_LIFETIME_MS = 28 * 86_400_000;

interface FamilyRow {
  id: string;
  integration_id: string;
  client_id: string;
  subject: string;
  scope: string;
  expires_at: Date | null;
  revoked_at: Date | null;
}

interface AccessToken {
  token: string;
  expiresIn: number;
  jti: string;
  exp: number;
}

export interface Grant {
  client: AuthenticatedClient;
  subject: string;
  scope: string;
  grantType: string;
  audience: string;
}

@Injectable()
export class TokenService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clients: ClientDirectory,
    private readonly keys: SigningKeysService,
    private readonly revocations: RevocationService,
    private readonly families: FamilyWriter,
    private readonly quota: IssuanceQuota,
    private readonly outbox: EventOutbox,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(RUNTIME) private readonly runtime: ServiceRuntime,
  ) {}

  /**
   * A request authenticated with a client record older than the client's latest applied change is refused before
   * anything is stored (StaleClientRecord); it is then decided again on a fresh record, so the admin's change is in
   * force for it. Twice stale in a row (changes racing) is a 503 to retry.
   */
  async issue(request: TokenRequest): Promise<TokenResponse> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.issueOnce(request);
      } catch (error) {
        if (!(error instanceof StaleClientRecord)) throw error;
        this.clients.evict(error.clientId);
        if (attempt >= 3) throw BusError.oauth('temporarily_unavailable', 'The client changed while the request was handled; retry shortly');
      }
    }
  }

  private async issueOnce(request: TokenRequest): Promise<TokenResponse> {
    const grantType = request.params.grant_type;
    if (!grantType) throw BusError.oauth('invalid_request', 'grant_type is required');
    if (!['client_credentials', 'refresh_token', 'authorization_code'].includes(grantType)) {
      throw BusError.oauth('unsupported_grant_type', `grant_type ${JSON.stringify(grantType.slice(0, 64))} is not supported`);
    }
    const client = await this.clients.authenticate(request.client, request.address);
    // RFC 6749 §5.2: a grant the integration is not allowed to use (e.g. client_credentials for a P2PI integration).
    if (!client.grantTypes.includes(grantType as IntegrationGrantType)) throw BusError.oauth('unauthorized_client', `This integration may not use the ${grantType} grant`);
    if (grantType === 'client_credentials') return this.clientCredentials(client, request.params);
    if (grantType === 'refresh_token') return this.refresh(client, request.params);
    return this.exchangeCode(client, request.params);
  }

  private audience(params: Record<string, string>): string {
    const resource = params.resource;
    if (resource === undefined) return this.runtime.config.issuer;
    // RFC 8707: an absolute URI without a fragment names the resource server the token is for.
    if (!isResourceIndicator(resource)) throw BusError.oauth('invalid_request', 'resource must be an absolute URI without a fragment');
    return resource;
  }

  private scopeFor(client: AuthenticatedClient, requested: string | undefined): string {
    const decision = grantScope(client.permissions, requested);
    if ('rejected' in decision) throw BusError.oauth('invalid_scope', `Not permitted for this client: ${decision.rejected.join(' ').slice(0, 500)}`);
    if (!decision.granted.length) throw BusError.oauth('invalid_scope', 'This integration has no permissions to grant');
    return decision.granted.join(' ');
  }

  private async clientCredentials(client: AuthenticatedClient, params: Record<string, string>): Promise<TokenResponse> {
    const grant: Grant = { client, subject: client.applicationId, scope: this.scopeFor(client, params.scope), grantType: 'client_credentials', audience: this.audience(params) };
    await this.quota.take(client.integrationId, client.clientCredentialsTokensPerHour);
    if (client.refreshTokensOnClientCredentials === false) {
      // No grant is stored: the client asks again with its credentials, so nothing accumulates per call. Revoking such
      // a token goes by its jti or by the client (revoke all), as it has no family.
      const access = await this.accessToken(grant);
      this.announceIssued(grant, access);
      return this.response(access, grant);
    }
    const familyId = this.clock.uuid();
    const refreshToken = randomToken(32);
    // Sign first: if signing fails nothing is stored; the family and its first token are then one statement.
    const access = await this.accessToken(grant, familyId);
    // Group commit: written with the other grants of this moment, answered once committed.
    await this.families.write(this.newFamily(grant, familyId, refreshToken));
    this.announceIssued(grant, access, familyId);
    return this.response(access, grant, refreshToken);
  }

  /**
   * Rotation and issuance happen in one transaction: if anything fails before commit, the presented refresh token is
   * not burned and the client can retry. Presenting an already-rotated token is re-use (RFC 9700 §4.14): the whole
   * family is revoked, in its own committed transaction, and the request fails — except within the integration's
   * reuse interval (`refreshTokenReuseIntervalSeconds`, as Auth0's reuse interval and Okta's grace period): the token
   * just rotated, re-presented by the same client while its successor is still unused, is the client retrying after
   * a lost answer; it gets a fresh pair and the unused successor is superseded. The interval runs from the first
   * rotation, so retries cannot stretch it. Once the successor has been used, the old token is re-use as before.
   */
  private async refresh(client: AuthenticatedClient, params: Record<string, string>): Promise<TokenResponse> {
    const presented = params.refresh_token;
    if (!presented) throw BusError.oauth('invalid_request', 'refresh_token is required');
    const hash = tokenHash(presented);
    const outcome = await this.dataSource.transaction(async (manager) => {
      const now = this.clock.now();
      // Locking the family serialises every rotation of it, so the successor read here cannot change underneath.
      const rows: (FamilyRow & RotationState)[] = await manager.query(
        `SELECT f.*, t."rotated_at", t."superseded_at", t."replaced_by", s."rotated_at" AS "successor_rotated_at", s."superseded_at" AS "successor_superseded_at",
                (SELECT r."revision" FROM "auth"."client_revision" r WHERE r."client_id" = f."client_id") AS "client_revision"
           FROM "auth"."refresh_token" t JOIN "auth"."refresh_token_family" f ON f."id" = t."family_id"
           LEFT JOIN "auth"."refresh_token" s ON s."token_hash" = t."replaced_by"
          WHERE t."token_hash" = $1 FOR UPDATE OF t, f`,
        [hash],
      );
      const family = rows[0];
      if (!family || family.client_id !== client.applicationId) throw BusError.oauth('invalid_grant', 'The refresh token is invalid');
      if ((family.client_revision ?? 0) > client.revision) throw new StaleClientRecord(client.applicationId);
      if (family.revoked_at) throw BusError.oauth('invalid_grant', 'The refresh token has been revoked');
      // Never used, replaced by a retry of its predecessor: the client holds the newer one; not a sign of theft.
      if (family.superseded_at) throw BusError.oauth('invalid_grant', 'The refresh token was superseded by a retry of the previous one');
      const retry = family.rotated_at !== null && withinReuseInterval(family, client.refreshTokenReuseIntervalSeconds, now);
      if (family.rotated_at && !retry) return { reused: family.id };
      if (family.expires_at && family.expires_at <= now) throw BusError.oauth('invalid_grant', 'The refresh token has expired');
      const scope = this.narrowedScope(family.scope, params.scope, client);
      const grant: Grant = { client, subject: family.subject, scope, grantType: 'refresh_token', audience: this.audience(params) };
      const next = randomToken(32);
      const access = await this.accessToken(grant, family.id);
      // The rotation's writes in one statement: one round trip inside the transaction. A retry keeps the first
      // rotation time and supersedes the successor nobody used.
      await manager.query(
        `WITH rotated AS (UPDATE "auth"."refresh_token" SET "rotated_at" = COALESCE("rotated_at", $2), "replaced_by" = $4 WHERE "token_hash" = $1),
              superseded AS (UPDATE "auth"."refresh_token" SET "superseded_at" = $2 WHERE "token_hash" = $5),
              used AS (UPDATE "auth"."refresh_token_family" SET "last_used_at" = $2 WHERE "id" = $3)
         INSERT INTO "auth"."refresh_token" ("token_hash", "family_id", "created_at") VALUES ($4, $3, $2)`,
        [hash, now, family.id, tokenHash(next), retry ? family.replaced_by : null],
      );
      return { response: this.response(access, grant, next), issued: () => this.announceIssued(grant, access, family.id) };
    });
    if (outcome.response) {
      outcome.issued!();
      return outcome.response;
    }
    await this.dataSource.transaction((manager) => this.revocations.revokeFamily(manager, outcome.reused!, 'refresh_token_reuse'));
    void this.outbox.flush();
    throw BusError.oauth('invalid_grant', 'The refresh token was already used; every token of this grant has been revoked');
  }

  /** RFC 6749 §6: a refresh may ask for less than the original grant, never more, and never beyond current permissions. */
  private narrowedScope(original: string, requested: string | undefined, client: AuthenticatedClient): string {
    const originalSet = parseScope(original);
    const asked = requested === undefined ? originalSet : parseScope(requested);
    const outside = asked.filter((p) => !originalSet.includes(p));
    if (outside.length) throw BusError.oauth('invalid_scope', `Not part of the original grant: ${outside.join(' ').slice(0, 500)}`);
    const decision = grantScope(client.permissions, asked.join(' '));
    if ('rejected' in decision) throw BusError.oauth('invalid_grant', 'The integration no longer holds the permissions of this grant');
    return decision.granted.join(' ');
  }

  /** The authorization-code grant with PKCE S256; a code is single use, and presenting it again revokes what it issued. */
  private async exchangeCode(client: AuthenticatedClient, params: Record<string, string>): Promise<TokenResponse> {
    const { code, redirect_uri: redirectUri, code_verifier: verifier } = params;
    if (!code) throw BusError.oauth('invalid_request', 'code is required');
    if (!verifier) throw BusError.oauth('invalid_request', 'code_verifier is required (PKCE)');
    if (!/^[A-Za-z0-9._~-]{43,128}$/.test(verifier)) throw BusError.oauth('invalid_request', 'code_verifier must be 43-128 characters of A-Z a-z 0-9 - . _ ~');
    const outcome = await this.dataSource.transaction(async (manager) => {
      const now = this.clock.now();
      const rows: { client_id: string; redirect_uri: string; scope: string; code_challenge: string; subject: string; resource: string | null; expires_at: Date; used_at: Date | null; family_id: string | null }[] =
        await manager.query(`SELECT * FROM "auth"."authorization_code" WHERE "code_hash" = $1 FOR UPDATE`, [tokenHash(code)]);
      const grantRow = rows[0];
      if (!grantRow || grantRow.client_id !== client.applicationId) throw BusError.oauth('invalid_grant', 'The authorization code is invalid');
      const [barrier]: { revision: number }[] = await manager.query(`SELECT "revision" FROM "auth"."client_revision" WHERE "client_id" = $1`, [client.applicationId]);
      if ((barrier?.revision ?? 0) > client.revision) throw new StaleClientRecord(client.applicationId);
      if (grantRow.used_at) return { replayed: grantRow.family_id };
      if (grantRow.expires_at <= now) throw BusError.oauth('invalid_grant', 'The authorization code has expired');
      if (redirectUri !== grantRow.redirect_uri) throw BusError.oauth('invalid_grant', 'redirect_uri does not match the authorization request');
      const challenge = createHash('sha256').update(verifier).digest('base64url');
      if (challenge !== grantRow.code_challenge) throw BusError.oauth('invalid_grant', 'code_verifier does not match the code_challenge');
      const decision = grantScope(client.permissions, grantRow.scope);
      if ('rejected' in decision) throw BusError.oauth('invalid_grant', 'The integration no longer holds the permissions of this grant');
      const grant: Grant = { client, subject: grantRow.subject, scope: grantRow.scope, grantType: 'authorization_code', audience: grantRow.resource ?? this.runtime.config.issuer };
      const familyId = this.clock.uuid();
      const refreshToken = randomToken(32);
      const access = await this.accessToken(grant, familyId);
      await manager.query(...insertFamiliesQuery([this.newFamily(grant, familyId, refreshToken)]));
      await manager.query(`UPDATE "auth"."authorization_code" SET "used_at" = $2, "family_id" = $3 WHERE "code_hash" = $1`, [tokenHash(code), now, familyId]);
      return { response: this.response(access, grant, refreshToken), issued: () => this.announceIssued(grant, access, familyId) };
    });
    if (outcome.response) {
      outcome.issued!();
      return outcome.response;
    }
    if (outcome.replayed) {
      await this.dataSource.transaction((manager) => this.revocations.revokeFamily(manager, outcome.replayed!, 'code_replay'));
      void this.outbox.flush();
    }
    throw BusError.oauth('invalid_grant', 'The authorization code was already used; the tokens it issued have been revoked');
  }

  private newFamily(grant: Grant, familyId: string, refreshToken: string): NewFamily {
    const now = this.clock.now();
    return {
      id: familyId, integrationId: grant.client.integrationId, clientId: grant.client.applicationId, subject: grant.subject, scope: grant.scope,
      grantType: grant.grantType, createdAt: now, expiresAt: grant.client.refreshTokensValidUntilRevoked ? null : new Date(now.getTime() + REFRESH_TOKEN_LIFETIME_MS),
      tokenHash: tokenHash(refreshToken), clientRevision: grant.client.revision,
    };
  }

  /**
   * `tessera.events.token.issued` (who got what, never the token), after the grant is committed. It goes out as a
   * notification, not through the outbox: thousands a second, and the grant itself is durable in Postgres.
   */
  private announceIssued(grant: Grant, access: AccessToken, familyId?: string): void {
    const data: TokenIssuedEvent = {
      jti: access.jti, ...(familyId ? { familyId } : {}), clientId: grant.client.applicationId, integrationId: grant.client.integrationId, grantType: grant.grantType,
      scope: grant.scope, expiresAt: new Date(access.exp * 1000).toISOString(),
    };
    this.runtime.bus.notify({ id: this.clock.uuid(), type: Events.tokenIssued, occurredAt: this.clock.now().toISOString(), data });
  }

  private async accessToken(grant: Grant, familyId?: string): Promise<AccessToken> {
    const iat = Math.floor(this.clock.now().getTime() / 1000);
    const expiresIn = grant.client.accessTokenTtlSeconds;
    const jti = this.clock.uuid();
    const token = await this.keys.sign({
      iss: this.runtime.config.issuer,
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
    });
    return { token, expiresIn, jti, exp: iat + expiresIn };
  }

  private response(access: AccessToken, grant: Grant, refreshToken?: string): TokenResponse {
    return { access_token: access.token, token_type: 'Bearer', expires_in: access.expiresIn, ...(refreshToken ? { refresh_token: refreshToken } : {}), scope: grant.scope };
  }
}
