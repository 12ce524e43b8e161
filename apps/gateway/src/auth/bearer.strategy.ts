import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { TokenRejected, type AccessTokenClaims } from '@tessera/verifier';
import { Strategy } from 'passport-http-bearer';
import { GatewayTokenVerifier } from './token-verifier.provider.js';

export const BEARER_STRATEGY = 'tessera-bearer';

/** Passport strategy for RFC 6750 bearer tokens: a Tessera access token, verified locally (JWKS + deny-list). */
@Injectable()
export class BearerStrategy extends PassportStrategy(Strategy, BEARER_STRATEGY) {
  constructor(private readonly verifier: GatewayTokenVerifier) {
    super();
  }

  /** Returns the token's claims, or `false` (a 401) with the reason; failing to reach the keys is an error (503), not a 401. */
  async validate(token: string): Promise<AccessTokenClaims | false> {
    try {
      return await this.verifier.verify(token);
    } catch (error) {
      if (error instanceof TokenRejected) return false;
      throw error;
    }
  }
}
