import { applyDecorators, type ExecutionContext, HttpException, HttpStatus, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { ApiBearerAuth, ApiExtension } from '@nestjs/swagger';
import { isCovered, parseScope } from '@tessera/permissions';
import type { AccessTokenClaims } from '@tessera/verifier';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { BEARER_STRATEGY } from '../auth/bearer.strategy.js';
import { Refuses } from '../openapi/decorators.js';

export const PERMISSION_KEY = 'tessera:permission';
export const ADMIN_PERMISSION = '*:platform=admin';
/** For routes any valid access token may call, whatever its scope. */
export const AuthenticatedPermission = '';

/**
 * Declares the permission (scope) a route needs, e.g. `@RequirePermission('*:tokens=read')`; the OpenAPI document
 * learns it from here too (bearer security, 401/403, `x-tessera-permission`), so the two cannot disagree.
 */
export const RequirePermission = (permission: string) => applyDecorators(
  SetMetadata(PERMISSION_KEY, permission),
  ApiBearerAuth('bearer'),
  Refuses(401, 403),
  ...(permission ? [ApiExtension('x-tessera-permission', permission)] : []),
);

export type AuthenticatedRequest = FastifyRequest & { user?: AccessTokenClaims };

/**
 * Routes that declare a permission need a bearer token (passport, RFC 6750) whose scope covers it: 401 without a
 * valid token, 403 when the scope falls short. Admin-console logins and integrations granted `*:platform=admin` pass alike.
 */
@Injectable()
export class PermissionGuard extends AuthGuard(BEARER_STRATEGY) {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const permission = this.reflector.getAllAndOverride<string | undefined>(PERMISSION_KEY, [context.getHandler(), context.getClass()]);
    if (permission === undefined) return true;
    await super.canActivate(context);
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (permission === AuthenticatedPermission) return true;
    const scope = parseScope(request.user?.scope);
    // A platform administrator may do anything an integration may be granted (e.g. read outbound tokens).
    if (!isCovered(scope, permission) && !isCovered(scope, ADMIN_PERMISSION)) {
      void context.switchToHttp().getResponse<FastifyReply>().header('WWW-Authenticate', `Bearer realm="tessera", error="insufficient_scope", scope="${permission}"`);
      throw new HttpException({ error: 'forbidden', message: `The access token lacks the ${permission} permission` }, HttpStatus.FORBIDDEN);
    }
    return true;
  }

  handleRequest<T>(error: unknown, user: T | false, _info: unknown, context: ExecutionContext): T {
    if (error) throw error;
    if (!user) {
      const header = context.switchToHttp().getRequest<FastifyRequest>().headers.authorization;
      const reply = context.switchToHttp().getResponse<FastifyReply>();
      void reply.header('WWW-Authenticate', header ? 'Bearer realm="tessera", error="invalid_token"' : 'Bearer realm="tessera"');
      throw new HttpException({ error: 'unauthorized', message: header ? 'The access token is invalid, expired or revoked' : 'A Bearer access token is required' }, HttpStatus.UNAUTHORIZED);
    }
    return user;
  }
}
