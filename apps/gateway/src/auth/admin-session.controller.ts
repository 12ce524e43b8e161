import { Body, Controller, Get, HttpCode, HttpException, HttpStatus, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiResponse } from '@nestjs/swagger';
import {
  AdminLoginRequest,
  BusError,
  ChangeAdminPasswordRequest,
  Subjects,
  type AdminSessionView,
  type TokenResponse,
  type TokenRevokedEvent,
} from '@tessera/contracts';
import { BusClient } from '@tessera/messaging';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuthenticatedPermission, PermissionGuard, RequirePermission, type AuthenticatedRequest } from '../http/permission.guard.js';
import { clientAddress } from '../http/client-address.js';
import { Answers, Refuses } from '../openapi/decorators.js';
import { ConsoleSessionCookie, RESUME_HEADER } from './console-session-cookie.js';
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
    private readonly cookie: ConsoleSessionCookie,
  ) {}

  @Answers(200, 'Sign in as an administrator: a session and its first token (must_change_password after a one-time password)')
  @ApiBody({ type: AdminLoginRequest })
  @Refuses(401, 429)
  @Post('login')
  @HttpCode(200)
  async login(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<TokenResponse> {
    // Checked where it is received (auth-server), like every message: a malformed one is a 400 with its fields.
    const body = (request.body ?? {}) as Partial<AdminLoginRequest>;
    const result = await this.bus.call(Subjects.auth.admin.login, { username: body.username!, password: body.password!, address: clientAddress(request) });
    // A one-time password's token can only choose a password, after which one signs in again: nothing to resume.
    if (!result.must_change_password) this.cookie.issue(request, reply, result.access_token);
    return result;
  }

  /**
   * The console after a reload: the session cookie set at sign-in (HttpOnly, so only the browser holds it) buys a
   * fresh token for the same session, exactly as a renewal would. Not a bearer route: the token was in the page's
   * memory, which the reload wiped (ADR 0044).
   */
  @Answers(200, "Resume the console's session after a reload: a new token for the session its cookie names")
  @ApiHeader({ name: RESUME_HEADER, required: true, description: 'resume: the console asks (a cross-site form cannot send this header)' })
  @ApiResponse({ status: 204, description: 'No session cookie: nothing to resume (sign in)' })
  @Refuses(401, 403)
  @Post('session/resume')
  @HttpCode(200)
  async resume(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<TokenResponse | undefined> {
    const sessionId = this.cookie.sessionToResume(request);
    // Nothing to resume is the console's ordinary first visit, not an error (a browser logs every 4xx it fetches).
    if (!sessionId) return void reply.status(204);
    try {
      return await this.bus.call(Subjects.auth.admin.session.renew, { sessionId });
    } catch (error) {
      // The session ended (signed out, idle, at its maximum): the cookie is of no more use.
      if (error instanceof BusError && error.code === 'unauthorized') this.cookie.clear(request, reply);
      throw error;
    }
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
  async logout(@Req() request: AuthenticatedRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<void> {
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
    this.cookie.clear(request, reply);
  }
}
