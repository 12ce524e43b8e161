import { Controller, Get, Req, UseGuards } from '@nestjs/common';
import type { WhoAmI } from '@tessera/contracts';
import { AuthenticatedPermission, PermissionGuard, RequirePermission, type AuthenticatedRequest } from '../http/permission.guard.js';
import { Answers } from '../openapi/decorators.js';

/**
 * `GET /api/whoami`: who the presented access token says the caller is. The simplest resource an integration or
 * another platform instance can call with its token (P2PI's first call), and a way to check a token end to end.
 */
@Controller('api')
@UseGuards(PermissionGuard)
export class WhoAmIController {
  @Answers(200, 'Who the presented access token says its bearer is')
  @Get('whoami')
  @RequirePermission(AuthenticatedPermission)
  whoami(@Req() request: AuthenticatedRequest): WhoAmI {
    const { sub, client_id: clientId, scope, exp, iss } = request.user!;
    // The verifier accepts only tokens from this issuer that name their subject.
    return { sub: sub!, clientId, scope: scope.split(' ').filter(Boolean), issuer: iss!, expiresAt: exp ? new Date(exp * 1000).toISOString() : null };
  }
}
