import { Inject, Injectable } from '@nestjs/common';
import type { TokenResponse } from '@tessera/contracts';
import { randomToken } from '@tessera/crypto';
import type { Clock } from '@tessera/observability';
import { CLOCK } from '@tessera/runtime';
import type { AuthenticatedClient } from '../../clients/client-directory.js';
import { FamilyWriter } from '../family-writer.js';
import { IssuanceQuota } from '../issuance-quota.js';
import { TokenIssuance, type Grant, type TokenGrant } from './token-issuance.js';

/** RFC 6749 §4.4: the client gets a token for itself, within its integration's permissions. */
@Injectable()
export class ClientCredentialsGrant implements TokenGrant {
  constructor(
    private readonly issuance: TokenIssuance,
    private readonly families: FamilyWriter,
    private readonly quota: IssuanceQuota,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async issue(client: AuthenticatedClient, params: Record<string, string>): Promise<TokenResponse> {
    const grant: Grant = {
      client,
      subject: client.applicationId,
      scope: this.issuance.scopeFor(client, params.scope),
      grantType: 'client_credentials',
      audience: this.issuance.audience(params),
    };
    await this.quota.take(client.integrationId, client.clientCredentialsTokensPerHour);
    if (client.refreshTokensOnClientCredentials === false) {
      // No grant is stored: the client asks again with its credentials, so nothing accumulates per call. Revoking such
      // a token goes by its jti or by the client (revoke all), as it has no family.
      const access = await this.issuance.accessToken(grant);
      this.issuance.announceIssued(grant, access);
      return this.issuance.response(access, grant);
    }
    const familyId = this.clock.uuid();
    const refreshToken = randomToken(32);
    // Sign first: if signing fails nothing is stored; the family and its first token are then one statement.
    const access = await this.issuance.accessToken(grant, familyId);
    // Group commit: written with the other grants of this moment, answered once committed.
    await this.families.write(this.issuance.newFamily(grant, familyId, refreshToken));
    this.issuance.announceIssued(grant, access, familyId);
    return this.issuance.response(access, grant, refreshToken);
  }
}
