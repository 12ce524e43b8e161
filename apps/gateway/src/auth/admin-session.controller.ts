import { Body, Controller, Get, HttpCode, HttpException, HttpStatus, Post, Req, UseGuards } from '@nestjs/common';
import { ApiBody } from '@nestjs/swagger';
import { AdminLoginRequest, ChangeAdminPasswordRequest, Subjects, type AdminSessionView, type TokenResponse, type TokenRevokedEvent } from '@tessera/contracts';
import { BusClient } from '@tessera/messaging';
import type { FastifyRequest } from 'fastify';
import { AuthenticatedPermission, PermissionGuard, RequirePermission, type AuthenticatedRequest } from '../http/permission.guard.js';
import { clientAddress } from '../http/client-address.js';
import { Answers, Refuses } from '../openapi/decorators.js';
import { GatewayTokenVerifier } from './token-verifier.provider.js';

/** The token must be an administrator's (from POST /admin/login), not an integration's. */
function adminClaims(request: AuthenticatedRequest) {
  const claims = request.user!;
  if (typeof claims.sub !== 'string' || !claims.sub.startsWith('admin:')) {
    throw new HttpException({ error: 'forbidden', message: 'Only an administrator signed in with a password has a session' }, HttpStatus.FORBIDDEN);
  }
  return claims;
}

/**
 * The admin's own session: sign in, see it, renew it while in use, change the password, sign out. These take any
 * administrator's token, including one signed in with a one-time password (which can do nothing else).
 */
@Controller('admin')
export class AdminSessionController {
  constructor(
    private readonly bus: BusClient,
    private readonly verifier: GatewayTokenVerifier,
  ) {}

  @Answers(200, 'Sign in as an administrator: a session and its first token (must_change_password after a one-time password)')
  @ApiBody({ type: AdminLoginRequest })
  @Refuses(401, 429)
  @Post('login')
  @HttpCode(200)
  login(@Req() request: FastifyRequest): Promise<TokenResponse> {
    // Checked where it is received (auth-server), like every message: a malformed one is a 400 with its fields.
    const body = (request.body ?? {}) as Partial<AdminLoginRequest>;
    return this.bus.call(Subjects.auth.admin.login, { username: body.username!, password: body.password!, address: clientAddress(request) });
  }

  /** Who is signed in on this token, with the role, and until when the session may be renewed. */
  @Answers(200, 'Who is signed in on this token, and until when the session can last')
  @Get('session')
  @UseGuards(PermissionGuard)
  @RequirePermission(AuthenticatedPermission)
  session(@Req() request: AuthenticatedRequest): Promise<AdminSessionView> {
    const { fid } = adminClaims(request);
    if (!fid) throw new HttpException({ error: 'not_found', message: 'This token belongs to no session' }, HttpStatus.NOT_FOUND);
    return this.bus.call(Subjects.auth.admin.session.get, { sessionId: fid });
  }

  /**
   * A fresh token for the same session, for a console in use: idle time starts again, never past the session's
   * maximum (TESSERA_ADMIN_SESSION_HOURS). A session that has ended, gone idle or reached it answers 401.
   */
  @Answers(200, 'Renew the session while in use: a new token, never past the session maximum')
  @Post('session/renew')
  @HttpCode(200)
  @UseGuards(PermissionGuard)
  @RequirePermission(AuthenticatedPermission)
  renew(@Req() request: AuthenticatedRequest): Promise<TokenResponse> {
    const { fid } = adminClaims(request);
    if (!fid) throw new HttpException({ error: 'unauthorized', message: 'This token belongs to no session: sign in again' }, HttpStatus.UNAUTHORIZED);
    return this.bus.call(Subjects.auth.admin.session.renew, { sessionId: fid });
  }

  /** Current and new password; every session of this administrator (this one too) ends, so they sign in again. */
  @Answers(204, 'Change your own password (every session of yours ends: sign in again)')
  @Post('password')
  @HttpCode(204)
  @UseGuards(PermissionGuard)
  @RequirePermission(AuthenticatedPermission)
  async changePassword(@Req() request: AuthenticatedRequest, @Body() body: ChangeAdminPasswordRequest): Promise<void> {
    await this.bus.call(Subjects.auth.admin.changePassword, { ...body, subject: adminClaims(request).sub!, address: clientAddress(request) });
  }

  /**
   * Ends the session the presented token belongs to (any other token, an integration's, is revoked by itself). Auth-server records it and tells every verifier (token.revoked);
   * this gateway's own verifier is told at once, so the very next request with the token is refused here without
   * waiting for the event.
   */
  @Answers(204, 'End the session of the presented token at once (revoked everywhere)')
  @Post('logout')
  @HttpCode(204)
  @UseGuards(PermissionGuard)
  @RequirePermission(AuthenticatedPermission)
  async logout(@Req() request: AuthenticatedRequest): Promise<void> {
    const { jti, client_id: clientId, fid, sub } = request.user!;
    const exp = request.user!.exp!;
    await this.bus.call(Subjects.auth.admin.logout, { jti, clientId, exp, ...(fid ? { sessionId: fid } : {}), subject: sub });
    const revokedAt = new Date().toISOString();
    const revoked: TokenRevokedEvent = {
      ...(fid ? { familyId: fid } : { jti }),
      clientId,
      reason: 'logout',
      revokedAt,
      expiresAt: new Date(exp * 1000).toISOString(),
    };
    this.verifier.revoked(revoked);
  }
}
