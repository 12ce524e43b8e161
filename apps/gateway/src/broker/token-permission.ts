import { ExecutionContext, HttpException, HttpStatus, createParamDecorator } from '@nestjs/common';
import { instancePermission, isCovered, isPermission, mightUseToken, parseScope, PLATFORM_ADMIN, tokenPermission, type TokenUse } from '@tessera/permissions';
import type { FastifyReply } from 'fastify';
import type { AuthenticatedRequest } from '../http/permission.guard.js';

/** Who is asking for a token, passed to the broker, which decides with what it knows of the token (ADR 0016). */
export interface TokenCaller {
  scope: string;
  use: TokenUse;
}

function forbidden(reply: FastifyReply, permission: string): HttpException {
  // The permission is built from the path: a name outside the grammar (quotes, control characters) stays out of the header.
  void reply.header('WWW-Authenticate', `Bearer realm="tessera", error="insufficient_scope"${isPermission(permission) ? `, scope="${permission}"` : ''}`);
  return new HttpException(
    { error: 'forbidden', message: isPermission(permission) ? `The access token lacks the ${permission} permission` : 'No permission covers that name' },
    HttpStatus.FORBIDDEN,
  );
}

/**
 * The caller of a route that uses the outbound token named by its `:name`, refused at once (403, without asking the
 * broker, so without learning whether such a token exists) unless some permission it holds could cover that use.
 */
export const TokenCallerFor = createParamDecorator((use: TokenUse, context: ExecutionContext): TokenCaller => {
  const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
  const name = (request.params as Record<string, string>).name;
  const scope = request.user?.scope ?? '';
  if (!mightUseToken(scope, name, use)) throw forbidden(context.switchToHttp().getResponse<FastifyReply>(), tokenPermission({ name }, use));
  return { scope, use };
});

/** The same for a route that uses what the platform holds for the platform instance named by its `:name` (P2PI). */
export const InstanceCallerFor = createParamDecorator((use: TokenUse, context: ExecutionContext): TokenCaller => {
  const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
  const instance = (request.params as Record<string, string>).name;
  const scope = request.user?.scope ?? '';
  const required = instancePermission(instance, use);
  if (!isCovered(parseScope(scope), required) && !isCovered(parseScope(scope), PLATFORM_ADMIN))
    throw forbidden(context.switchToHttp().getResponse<FastifyReply>(), required);
  return { scope, use };
});
