import { type CanActivate, type ExecutionContext, HttpException, HttpStatus, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { TokenRejected, type AccessTokenClaims } from '@tessera/verifier';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { GatewayTokenVerifier } from '../auth/token-verifier.provider.js';

export const PERMISSION_KEY = 'tessera:permission';
export const ADMIN_PERMISSION = '*:platform=admin';

/** Declares the permission (scope) a route needs, e.g. `@RequirePermission('*:tokens=read')`. */
export const RequirePermission = (permission: string) => SetMetadata(PERMISSION_KEY, permission);

export type AuthenticatedRequest = FastifyRequest & { principal?: AccessTokenClaims };

/**
 * Bearer-token authentication for routes that declare a permission (RFC 6750): 401 without a valid token, 403 when
 * its scope does not cover the permission. Admin-console logins and integrations granted `*:platform=admin` pass alike.
 */
@Injectable()
export class PermissionGuard implements CanActivate {
  constructor(private readonly reflector: Reflector, private readonly verifier: GatewayTokenVerifier) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const permission = this.reflector.getAllAndOverride<string | undefined>(PERMISSION_KEY, [context.getHandler(), context.getClass()]);
    if (permission === undefined) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    const match = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/.exec(request.headers.authorization ?? '');
    if (!match) {
      void reply.header('WWW-Authenticate', 'Bearer realm="tessera"');
      throw new HttpException({ error: 'unauthorized', message: 'A Bearer access token is required' }, HttpStatus.UNAUTHORIZED);
    }
    try {
      request.principal = await this.verifier.verify(match[1], permission);
      return true;
    } catch (error) {
      if (!(error instanceof TokenRejected)) throw error;
      void reply.header('WWW-Authenticate', `Bearer realm="tessera", error="${error.error}"${error.error === 'insufficient_scope' ? `, scope="${permission}"` : ''}`);
      throw error.error === 'insufficient_scope'
        ? new HttpException({ error: 'forbidden', message: error.message }, HttpStatus.FORBIDDEN)
        : new HttpException({ error: 'unauthorized', message: error.message }, HttpStatus.UNAUTHORIZED);
    }
  }
}
