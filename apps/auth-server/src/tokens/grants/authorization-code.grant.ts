import { Inject, Injectable } from '@nestjs/common';
import { BusError, type TokenResponse } from '@tessera/contracts';
import { randomToken, tokenHash } from '@tessera/crypto';
import { grantScope } from '@tessera/permissions';
import type { Clock } from '@tessera/observability';
import { Transactions } from '@tessera/persistence';
import { CLOCK } from '@tessera/runtime';
import { createHash } from 'node:crypto';
import { AuthorizationCodeStore } from '../../authorization/authorization-code.store.js';
import { ClientRevisionStore } from '../../clients/client-revision.store.js';
import { StaleClientRecord, type AuthenticatedClient } from '../../clients/client-directory.js';
import { RefreshTokenFamilyStore } from '../refresh-token-family.store.js';
import { RevocationService } from '../revocation.service.js';
import { TokenIssuance, type Grant, type TokenGrant } from './token-issuance.js';

/** RFC 7636 §4.1: 43-128 unreserved characters, so a verifier carries at least 256 bits when made as the RFC says. */
export function isCodeVerifier(verifier: string): boolean {
  return /^[A-Za-z0-9._~-]{43,128}$/.test(verifier);
}

/** RFC 7636 §4.6, S256 (the only method accepted): BASE64URL(SHA256(verifier)) equals the stored challenge. */
export function verifierMatches(verifier: string, challenge: string): boolean {
  return createHash('sha256').update(verifier).digest('base64url') === challenge;
}

/** The authorization-code grant with PKCE S256; a code is single use, and presenting it again revokes what it issued. */
@Injectable()
export class AuthorizationCodeGrant implements TokenGrant {
  constructor(
    private readonly transactions: Transactions,
    private readonly codes: AuthorizationCodeStore,
    private readonly revisions: ClientRevisionStore,
    private readonly families: RefreshTokenFamilyStore,
    private readonly issuance: TokenIssuance,
    private readonly revocations: RevocationService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async issue(client: AuthenticatedClient, params: Record<string, string>): Promise<TokenResponse> {
    const { code, redirect_uri: redirectUri, code_verifier: verifier } = params;
    if (!code) throw BusError.oauth('invalid_request', 'code is required');
    if (!verifier) throw BusError.oauth('invalid_request', 'code_verifier is required (PKCE)');
    if (!isCodeVerifier(verifier)) throw BusError.oauth('invalid_request', 'code_verifier must be 43-128 characters of A-Z a-z 0-9 - . _ ~');
    const codeHash = tokenHash(code);
    const outcome = await this.transactions.run(async (manager) => {
      const now = this.clock.now();
      const grantRow = await this.codes.lock(manager, codeHash);
      if (!grantRow || grantRow.client_id !== client.applicationId) throw BusError.oauth('invalid_grant', 'The authorization code is invalid');
      if ((await this.revisions.revision(manager, client.applicationId)) > client.revision) throw new StaleClientRecord(client.applicationId);
      if (grantRow.used_at) return { replayed: grantRow.family_id };
      if (grantRow.expires_at <= now) throw BusError.oauth('invalid_grant', 'The authorization code has expired');
      if (redirectUri !== grantRow.redirect_uri) throw BusError.oauth('invalid_grant', 'redirect_uri does not match the authorization request');
      if (!verifierMatches(verifier, grantRow.code_challenge)) throw BusError.oauth('invalid_grant', 'code_verifier does not match the code_challenge');
      // RFC 9449 §10: a code bound to a DPoP key is redeemed only with a proof of that key, so a stolen code is useless
      // without the client's key. Refused before it is marked used: the rightful client can still redeem it.
      if (grantRow.dpop_jkt && client.dpopJkt !== grantRow.dpop_jkt)
        throw BusError.oauth(
          'invalid_grant',
          client.dpopJkt
            ? 'The DPoP proof is not made with the key the code is bound to (dpop_jkt)'
            : 'The code is bound to a DPoP key (dpop_jkt): send a DPoP proof made with it',
        );
      const decision = grantScope(client.permissions, grantRow.scope);
      if ('rejected' in decision) throw BusError.oauth('invalid_grant', 'The integration no longer holds the permissions of this grant');
      const grant: Grant = {
        client,
        subject: grantRow.subject,
        scope: grantRow.scope,
        grantType: 'authorization_code',
        audience: grantRow.resource ?? this.issuance.issuer,
      };
      const familyId = this.clock.uuid();
      const refreshToken = randomToken(32);
      const access = await this.issuance.accessToken(grant, familyId);
      await this.families.insert(manager, [this.issuance.newFamily(grant, familyId, refreshToken)]);
      await this.codes.markUsed(manager, codeHash, now, familyId);
      return { response: this.issuance.response(access, grant, refreshToken), issued: () => this.issuance.announceIssued(grant, access, familyId) };
    });
    if (outcome.response) {
      outcome.issued!();
      return outcome.response;
    }
    if (outcome.replayed) {
      await this.revocations.revokeFamilyNow(outcome.replayed, 'code_replay');
    }
    throw BusError.oauth('invalid_grant', 'The authorization code was already used; the tokens it issued have been revoked');
  }
}
