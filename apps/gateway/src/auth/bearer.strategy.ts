import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { TokenRejected, type AccessTokenClaims, type AccessTokenRequest, type TokenVerifier } from '@tessera/verifier';
import type { FastifyRequest } from 'fastify';
import { Strategy } from 'passport-http-bearer';

export const BEARER_STRATEGY = 'tessera-bearer';

/** Set on every request by the gateway that received it (see startGateway). */
export type RequestWithVerifier = FastifyRequest & {
  tokenVerifier?: TokenVerifier;
  /** The gateway's public base URL (its issuer), for the URL a DPoP proof names. */
  publicUrl?: string;
};

/**
 * Passport strategy for RFC 6750 bearer tokens: a Tessera access token, verified locally (JWKS + deny-list).
 * Passport keeps strategies in one process-wide registry, so the verifier is taken from the request, not from this
 * instance: two platforms in one process (the tests, an embedding host) each verify against their own keys.
 */
@Injectable()
export class BearerStrategy extends PassportStrategy(Strategy, BEARER_STRATEGY) {
  constructor() {
    super({ passReqToCallback: true });
  }

  /**
   * Returns the token's claims, or `false` (a 401); failing to reach the keys is an error (503), not a 401. The same
   * check as for the DPoP scheme (PermissionGuard): a DPoP-bound token presented as Bearer is refused (RFC 9449 §7.1).
   */
  async validate(request: RequestWithVerifier, _token: string): Promise<AccessTokenClaims | false> {
    try {
      return await request.tokenVerifier!.verifyRequest(accessTokenRequest(request));
    } catch (error) {
      if (error instanceof TokenRejected) return false;
      throw error;
    }
  }
}

/** The request's credentials and the URL the client addressed: the issuer's origin (the gateway's public URL) and the path. */
export function accessTokenRequest(request: RequestWithVerifier): AccessTokenRequest {
  return { authorization: request.headers.authorization, dpop: request.headers.dpop, method: request.method, url: `${request.publicUrl ?? ''}${request.url}` };
}
