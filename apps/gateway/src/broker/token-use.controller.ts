import { Controller, Get, Param, UseGuards } from '@nestjs/common';
import { Subjects, type OutboundAccessToken } from '@tessera/contracts';
import { BusClient } from '@tessera/messaging';
import { AuthenticatedPermission, PermissionGuard, RequirePermission } from '../http/permission.guard.js';
import { Answers } from '../openapi/decorators.js';
import { TokenCallerFor, type TokenCaller } from './token-permission.js';

/**
 * A fresh access token by name, for callers holding `*:tokens/<name>=read` (or
 * `*:tokens=read`; a P2PI token needs `<instance>:p2pi=read`). The broker decides, knowing what the token is (ADR 0016).
 */
@Controller('tokens')
@UseGuards(PermissionGuard)
export class TokenUseController {
  constructor(private readonly bus: BusClient) {}

  @Answers(200, 'A fresh access token by name (`*:tokens/<name>=read`; a P2PI token: `<instance>:p2pi=read`)')
  @Get(':name')
  @RequirePermission(AuthenticatedPermission)
  async get(@Param('name') name: string, @TokenCallerFor('read') caller: TokenCaller): Promise<OutboundAccessToken> {
    const token = await this.bus.call(Subjects.broker.token.access, { name, ...caller });
    return { access_token: token.access_token, token_type: token.token_type, expires_at: token.expires_at, scope: token.scope };
  }
}
