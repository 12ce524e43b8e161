import { applyDecorators, type ExecutionContext, HttpException, HttpStatus, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { currentRequestContext, type RequestActor } from '@tessera/observability';
import { isCovered, parseScope, roleAllows, roleNamedBy, roleOf, ROLE_PERMISSIONS, type AdminRole } from '@tessera/permissions';
import { ApiBearerAuth, ApiExtension } from '@nestjs/swagger';
import { TokenRejected, type AccessTokenClaims } from '@tessera/verifier';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ActorAttestation } from '../audit/actor-attestation.js';
import { accessTokenRequest, BEARER_STRATEGY, type RequestWithVerifier } from '../auth/bearer.strategy.js';
import { DPOP_SIGNING_ALGORITHMS } from '@tessera/contracts';
import { Refuses } from '../openapi/decorators.js';

const PERMISSION_KEY = 'tessera:permission';
export const ADMIN_PERMISSION = '*:platform=admin';
/** The administrators' roles as route permissions (libs/permissions admin-roles): each allows the ones below it. */
export const OWNER = ROLE_PERMISSIONS.owner;
export const ADMIN = ROLE_PERMISSIONS.admin;
export const OPERATOR = ROLE_PERMISSIONS.operator;
export const VIEWER = ROLE_PERMISSIONS.viewer;
/** For routes any valid access token may call, whatever its scope. */
export const AuthenticatedPermission = '';

/**
 * Declares the permission (scope) a route needs, e.g. `@RequirePermission('*:tokens=read')`; the OpenAPI document
 * learns it from here too (bearer security, 401/403, `x-tessera-permission`), so the two cannot disagree.
 */
export const RequirePermission = (permission: string) =>
  applyDecorators(
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
  constructor(
    private readonly reflector: Reflector,
    private readonly attestation: ActorAttestation,
  ) {
    super();
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const permission = this.reflector.getAllAndOverride<string | undefined>(PERMISSION_KEY, [context.getHandler(), context.getClass()]);
    if (permission === undefined) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    // RFC 9449 §7: the DPoP scheme (which passport's bearer strategy does not read) goes through the same verifier.
    if (/^dpop /i.test(request.headers.authorization ?? '')) request.user = await this.dpopCaller(context);
    else await super.canActivate(context);
    // From here on, whatever the request changes is recorded as this caller's doing (the audit log, ADR 0023).
    const requestContext = currentRequestContext();
    if (requestContext && request.user) requestContext.actor = actorOf(request.user);
    if (permission !== AuthenticatedPermission && !mayCall(parseScope(request.user?.scope), permission)) {
      void context
        .switchToHttp()
        .getResponse<FastifyReply>()
        .header('WWW-Authenticate', `Bearer realm="tessera", error="insufficient_scope", scope="${permission}"`);
      throw new HttpException({ error: 'forbidden', message: `The access token lacks the ${permission} permission` }, HttpStatus.FORBIDDEN);
    }
    if (requestContext) this.attestation.vouch(requestContext);
    return true;
  }

  private async dpopCaller(context: ExecutionContext): Promise<AccessTokenClaims> {
    const request = context.switchToHttp().getRequest<RequestWithVerifier>();
    try {
      return await request.tokenVerifier!.verifyRequest(accessTokenRequest(request));
    } catch (error) {
      if (!(error instanceof TokenRejected)) throw error;
      const reply = context.switchToHttp().getResponse<FastifyReply>();
      // RFC 9449 §7.1: the challenge names the DPoP scheme and the algorithms we take; a nonce when one is asked for.
      void reply.header('WWW-Authenticate', `DPoP realm="tessera", error="${error.error}", algs="${DPOP_SIGNING_ALGORITHMS.join(' ')}"`);
      if (error.dpopNonce) void reply.header('DPoP-Nonce', error.dpopNonce);
      throw new HttpException({ error: 'unauthorized', message: error.message }, HttpStatus.UNAUTHORIZED);
    }
  }

  handleRequest<T>(error: unknown, user: T | false, _info: unknown, context: ExecutionContext): T {
    if (error) throw error;
    if (!user) {
      const header = context.switchToHttp().getRequest<FastifyRequest>().headers.authorization;
      const reply = context.switchToHttp().getResponse<FastifyReply>();
      // RFC 9449 §7.1: a resource that takes DPoP says so beside Bearer.
      void reply.header('WWW-Authenticate', [
        header ? 'Bearer realm="tessera", error="invalid_token"' : 'Bearer realm="tessera"',
        `DPoP realm="tessera", algs="${DPOP_SIGNING_ALGORITHMS.join(' ')}"`,
      ]);
      throw new HttpException(
        { error: 'unauthorized', message: header ? 'The access token is invalid, expired or revoked' : 'A Bearer access token is required' },
        HttpStatus.UNAUTHORIZED,
      );
    }
    return user;
  }
}

/**
 * A role permission is met by that role or a higher one; any other permission by itself or by the admin role, as
 * a platform administrator may do anything an integration may be granted (e.g. read outbound tokens).
 */
export function mayCall(scope: readonly string[], permission: string): boolean {
  const role = roleNamedBy(permission);
  if (role) return roleAllows(scope, role);
  return isCovered(scope, permission) || roleAllows(scope, 'admin');
}

/** Administrators' tokens name the user (`uid`, `sub` = `admin:<username>`); any other token is an integration's. */
function actorOf(claims: AccessTokenClaims): RequestActor {
  if (typeof claims.sub === 'string' && claims.sub.startsWith('admin:')) {
    const name = claims.sub.slice('admin:'.length);
    return { type: 'user', id: typeof claims.uid === 'string' ? claims.uid : name, name };
  }
  return { type: 'integration', id: claims.client_id, name: claims.client_id };
}

/**
 * An operator may manage outbound tokens and instances but handles no secrets, nor chooses where one goes: a body that
 * sets one of `fields` (a resource owner's password, an instance's credentials, a base URL a token is sent to) needs
 * the admin role even on a route an operator may call.
 */
export function requireAdminForSecrets(request: AuthenticatedRequest, body: object | undefined, fields: string[]): void {
  const given = fields.filter((field) => (body as Record<string, unknown> | undefined)?.[field] !== undefined);
  if (given.length && !mayCall(parseScope(request.user?.scope), ADMIN)) {
    throw new HttpException(
      { error: 'forbidden', message: `Setting ${given.join(', ')} needs the admin role: operators neither handle secrets nor choose where they go` },
      HttpStatus.FORBIDDEN,
    );
  }
}

/**
 * The caller's role, from its verified token, for the services that apply the role ceiling (an integration granted
 * `*:platform=admin` is an admin). A route guarded by a role always has one; `viewer` is the floor otherwise.
 */
export function callerRole(request: AuthenticatedRequest): AdminRole {
  return roleOf(parseScope(request.user?.scope)) ?? 'viewer';
}
