import { Injectable } from '@nestjs/common';
import { BusError, type IntegrationGrantType, type TokenRequest, type TokenResponse } from '@tessera/contracts';
import { ClientDirectory, StaleClientRecord, refusal } from '../clients/client-directory.js';
import { AuthorizationCodeGrant } from './grants/authorization-code.grant.js';
import { ClientCredentialsGrant } from './grants/client-credentials.grant.js';
import { RefreshTokenGrant } from './grants/refresh-token.grant.js';
import type { TokenGrant } from './grants/token-issuance.js';
import { DpopBinding } from './dpop-binding.js';

/** The token endpoint: authenticates the client and hands the request to its grant (one file each, in `grants/`). */
@Injectable()
export class TokenService {
  private readonly grants: Record<IntegrationGrantType, TokenGrant>;

  constructor(
    private readonly clients: ClientDirectory,
    private readonly dpop: DpopBinding,
    clientCredentials: ClientCredentialsGrant,
    refreshToken: RefreshTokenGrant,
    authorizationCode: AuthorizationCodeGrant,
  ) {
    this.grants = { client_credentials: clientCredentials, refresh_token: refreshToken, authorization_code: authorizationCode };
  }

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
    if (!Object.hasOwn(this.grants, grantType)) {
      throw BusError.oauth('unsupported_grant_type', `grant_type ${JSON.stringify(grantType.slice(0, 64))} is not supported`);
    }
    const client = await this.dpop.bind(await this.clients.authenticate(request.client, request.address), request.dpop);
    // RFC 6749 §5.2: a grant the integration is not allowed to use (e.g. client_credentials for a P2PI integration).
    if (!client.grantTypes.includes(grantType as IntegrationGrantType))
      throw refusal(client, BusError.oauth('unauthorized_client', `This integration may not use the ${grantType} grant`));
    return this.grants[grantType as IntegrationGrantType].issue(client, request.params);
  }
}
