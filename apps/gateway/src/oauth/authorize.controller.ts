import { Controller, Get, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes } from '@nestjs/swagger';
import { AuthorizationQuery, AuthorizePageForm, BusError, Subjects, type AuthorizationPrompt } from '@tessera/contracts';
import { constantTimeEqual, randomToken } from '@tessera/crypto';
import { BusClient } from '@tessera/messaging';
import { ISSUER } from '@tessera/runtime';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { GatewayTokenVerifier } from '../auth/token-verifier.provider.js';
import { clientAddress } from '../http/client-address.js';
import { cookies, setCookie } from '../http/cookies.js';
import { beyondRole, beyondRoleMessage, parseScope, roleOf, type AdminRole } from '@tessera/permissions';
import { ADMIN_PERMISSION } from '../http/permission.guard.js';
import { answerStatus } from '../http/rest-error.filter.js';
import { HtmlPage, QueryParameters } from '../openapi/decorators.js';
import { consentPage, contentSecurityPolicy, errorPage, loginPage, page } from './pages.js';

const SESSION_COOKIE = 'tessera_admin_session';
const UNAVAILABLE = 'The authorization server is unavailable; try again shortly';
const CSRF_COOKIE = 'tessera_csrf';

function encodeRequest(params: Record<string, string>): string {
  return Buffer.from(JSON.stringify(params)).toString('base64url');
}

function decodeRequest(value: unknown): Record<string, string> {
  try {
    const parsed = JSON.parse(Buffer.from(String(value), 'base64url').toString('utf8'));
    if (parsed && typeof parsed === 'object' && Object.values(parsed).every((v) => typeof v === 'string')) return parsed;
  } catch {
    /* fall through */
  }
  throw BusError.oauth('invalid_request', 'The authorization request was lost; start again from the application');
}

/**
 * The authorization endpoint's pages (RFC 6749 §4.1): sign-in for administrators, then consent. Server-rendered, no
 * script, CSRF-protected with a double-submit cookie (SameSite=Strict) checked in constant time.
 */
@Controller('oauth/authorize')
export class AuthorizeController {
  constructor(
    private readonly bus: BusClient,
    private readonly verifier: GatewayTokenVerifier,
    @Inject(ISSUER) private readonly issuer: string,
  ) {}

  @HtmlPage('The authorization endpoint (RFC 6749 §4.1.1): the admin sign-in page, then consent', 200, 303, 400)
  @QueryParameters(AuthorizationQuery)
  @Get()
  async start(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const params = Object.fromEntries(Object.entries((request.query ?? {}) as Record<string, unknown>).filter(([, v]) => typeof v === 'string')) as Record<
      string,
      string
    >;
    await this.render(request, reply, params);
  }

  @HtmlPage('Sign in, approve or deny (CSRF-protected form of the page above)', 200, 303, 400, 401, 429)
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiBody({ type: AuthorizePageForm })
  @Post()
  async submit(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const form = (request.body ?? {}) as Record<string, unknown>;
    const csrfCookie = cookies(request)[CSRF_COOKIE];
    if (!csrfCookie || typeof form.csrf !== 'string' || !constantTimeEqual(csrfCookie, form.csrf)) {
      return this.html(reply, 400, 'Request refused', errorPage('The form expired or did not come from this site. Start again from the application.'));
    }
    let params: Record<string, string>;
    try {
      params = decodeRequest(form.request);
    } catch (error) {
      return this.html(reply, 400, 'Request refused', errorPage((error as Error).message));
    }
    if (form.action === 'login') {
      try {
        const login = await this.bus.call(Subjects.auth.admin.login, {
          username: String(form.username ?? ''),
          password: String(form.password ?? ''),
          address: clientAddress(request),
        });
        void reply.header('Set-Cookie', this.cookie(SESSION_COOKIE, login.access_token, login.expires_in, 'Lax'));
        return this.render(request, reply, params, login.access_token);
      } catch (error) {
        const status = answerStatus(reply, error);
        const message = status === 429 ? (error as Error).message : status >= 500 ? UNAVAILABLE : 'Wrong username or password';
        return this.render(request, reply, params, undefined, message, status, String(form.username ?? ''));
      }
    }
    if (form.action !== 'approve' && form.action !== 'deny') return this.html(reply, 400, 'Request refused', errorPage('Unknown action'));
    const approver = await this.sessionApprover(cookies(request)[SESSION_COOKIE]);
    if (!approver) return this.render(request, reply, params, undefined, 'Your session expired; sign in again', 401);
    try {
      const { redirectTo } = await this.bus.call(Subjects.auth.authorization.decide, { params, ...approver, approved: form.action === 'approve' });
      void reply.status(303).header('Location', redirectTo).header('Cache-Control', 'no-store').send();
    } catch (error) {
      this.sendAuthorizationError(reply, error);
    }
  }

  private async render(
    request: FastifyRequest,
    reply: FastifyReply,
    params: Record<string, string>,
    session?: string,
    error?: string,
    status = 200,
    username?: string,
  ) {
    let prompt: AuthorizationPrompt;
    try {
      prompt = await this.bus.call(Subjects.auth.authorization.prompt, { params });
    } catch (failure) {
      return this.sendAuthorizationError(reply, failure);
    }
    const csrf = cookies(request)[CSRF_COOKIE] ?? randomToken(24);
    void reply.header('Set-Cookie', [reply.getHeader('Set-Cookie'), this.cookie(CSRF_COOKIE, csrf, 3600, 'Strict')].flat().filter(Boolean) as string[]);
    const approver = error ? undefined : await this.sessionApprover(session ?? cookies(request)[SESSION_COOKIE]);
    // No approve button for what the signed-in role may not hand on (auth-server refuses it anyway).
    const beyond = approver ? beyondRole(approver.role, prompt.scope) : [];
    if (approver && beyond.length) return this.html(reply, 403, 'Request refused', errorPage(beyondRoleMessage(approver.role, beyond, 'approve')));
    const body = approver
      ? consentPage(prompt, encodeRequest(params), csrf, approver.subject)
      : loginPage(prompt, encodeRequest(params), csrf, error, username);
    return this.html(reply, status, approver ? 'Authorize' : 'Sign in', body, approver ? [new URL(prompt.redirectUri).origin] : []);
  }

  /** The signed-in administrator of the admin session cookie, with the role their token holds. */
  private async sessionApprover(token: string | undefined): Promise<{ subject: string; role: AdminRole } | undefined> {
    if (!token) return undefined;
    try {
      const claims = await this.verifier.verify(token, ADMIN_PERMISSION);
      return { subject: claims.sub ?? '', role: roleOf(parseScope(claims.scope)) ?? 'viewer' };
    } catch {
      return undefined;
    }
  }

  /** Errors about the client or redirect URI are shown here; the rest go back to the client (RFC 6749 §4.1.2.1). */
  private sendAuthorizationError(reply: FastifyReply, error: unknown) {
    if (error instanceof BusError && error.code === 'oauth' && error.details?.redirect && typeof error.details.redirectTo === 'string') {
      return void reply.status(303).header('Location', error.details.redirectTo).send();
    }
    const status = answerStatus(reply, error);
    return this.html(reply, status, 'Request refused', errorPage(status < 500 && error instanceof BusError ? error.message : UNAVAILABLE));
  }

  private cookie(name: string, value: string, maxAgeSeconds: number, sameSite: 'Lax' | 'Strict'): string {
    return setCookie(name, value, { path: '/oauth', maxAgeSeconds, sameSite, secure: this.issuer.startsWith('https:') });
  }

  private html(reply: FastifyReply, status: number, title: string, body: string, formTargets: string[] = []) {
    const nonce = randomToken(16);
    void reply
      .status(status)
      .header('Content-Type', 'text/html; charset=utf-8')
      .header('Content-Security-Policy', contentSecurityPolicy(nonce, formTargets))
      .header('X-Frame-Options', 'DENY')
      .header('Referrer-Policy', 'no-referrer')
      .header('Cache-Control', 'no-store')
      .send(page(title, body, nonce));
  }
}
