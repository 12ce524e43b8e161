import { Body, Controller, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import { ApiBody } from '@nestjs/swagger';
import { AdminLoginRequest, ChangeAdminPasswordRequest, Subjects, type TokenResponse, type TokenRevokedEvent } from '@tessera/contracts';
import { BusClient } from '@tessera/messaging';
import type { FastifyRequest } from 'fastify';
import { ADMIN_PERMISSION, PermissionGuard, RequirePermission, type AuthenticatedRequest } from '../http/admin.guard.js';
import { clientAddress } from '../http/client-address.js';
import { Answers, Refuses } from '../openapi/decorators.js';
import { GatewayTokenVerifier } from './token-verifier.provider.js';

/** The admin's own session: sign in, change the password, sign out. */
@Controller('admin')
export class AdminSessionController {
  constructor(private readonly bus: BusClient, private readonly verifier: GatewayTokenVerifier) {}

  @Answers(200, 'TokenResponse', 'Sign in as an administrator: a 15-minute admin access token')
  @ApiBody({ type: AdminLoginRequest })
  @Refuses(401, 429)
  @Post('login')
  @HttpCode(200)
  login(@Req() request: FastifyRequest): Promise<TokenResponse> {
    // Checked where it is received (auth-server), like every message: a malformed one is a 400 with its fields.
    const body = (request.body ?? {}) as Partial<AdminLoginRequest>;
    return this.bus.call(Subjects.auth.admin.login, { username: body.username!, password: body.password!, address: clientAddress(request) });
  }

  /** Current and new password; every admin session (this one too) is revoked, so the admin signs in again. */
  @Answers(204, null, 'Change your own password (every admin session is revoked: sign in again)')
  @Post('password')
  @HttpCode(204)
  @UseGuards(PermissionGuard)
  @RequirePermission(ADMIN_PERMISSION)
  async changePassword(@Req() request: AuthenticatedRequest, @Body() body: ChangeAdminPasswordRequest): Promise<void> {
    await this.bus.call(Subjects.auth.admin.changePassword, { ...body, subject: request.user!.sub!, address: clientAddress(request) });
  }

  /**
   * Revokes the presented token. Auth-server records it and tells every verifier (token.revoked); this gateway's own
   * verifier is told at once, so the very next request with the token is refused here without waiting for the event.
   */
  @Answers(204, null, 'Revoke the presented admin token at once')
  @Post('logout')
  @HttpCode(204)
  @UseGuards(PermissionGuard)
  @RequirePermission(ADMIN_PERMISSION)
  async logout(@Req() request: AuthenticatedRequest): Promise<void> {
    const { jti, client_id: clientId } = request.user!;
    const exp = request.user!.exp!;
    await this.bus.call(Subjects.auth.admin.logout, { jti, clientId, exp });
    const revoked: TokenRevokedEvent = { jti, clientId, reason: 'logout', revokedAt: new Date().toISOString(), expiresAt: new Date(exp * 1000).toISOString() };
    this.verifier.revoked(revoked);
  }
}
