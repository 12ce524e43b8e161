import { Controller, Get, Param, UseGuards } from '@nestjs/common';
import { Subjects, type AccessTokenReply } from '@tessera/contracts';
import { BusClient } from '@tessera/messaging';
import { PermissionGuard, RequirePermission } from '../http/admin.guard.js';
import { call } from '../http/bus-call.js';

export const TOKENS_READ_PERMISSION = '*:tokens=read';

/** Servicely's apitokenauth over HTTP: a fresh access token by name, for callers allowed to read tokens. */
@Controller('tokens')
@UseGuards(PermissionGuard)
export class TokenUseController {
  constructor(private readonly bus: BusClient) {}

  @Get(':name')
  @RequirePermission(TOKENS_READ_PERMISSION)
  async get(@Param('name') name: string): Promise<AccessTokenReply> {
    const token = await call<AccessTokenReply>(this.bus, Subjects.broker.token.access, { name });
    return { access_token: token.access_token, token_type: token.token_type, expires_at: token.expires_at, scope: token.scope };
  }
}
