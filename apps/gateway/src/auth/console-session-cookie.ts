import { HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import { SecretBox } from '@tessera/crypto';
import { ENCRYPTION_KEY, ISSUER, RUNTIME, type ServiceRuntime } from '@tessera/runtime';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { decodeJwt } from 'jose';
import { cookies, setCookie } from '../http/cookies.js';

const NAME = 'tessera_console_session';
/** Sent with the session's own routes only (read, renew, resume), never with the rest of the API. */
const PATH = '/admin/session';
/** The header the console sends to resume: a cross-site form cannot send it, and a cross-site script needs CORS for it. */
export const RESUME_HEADER = 'x-tessera-console';

/**
 * The cookie that lets a reloaded console resume its administrator's session (ADR 0044): the session id, sealed with
 * a key derived from the platform's encryption key (AES-256-GCM), so it can be neither read nor forged, HttpOnly, so
 * script never sees it, SameSite=Strict and scoped to `/admin/session`. It grants only what `session/renew` does:
 * a fresh token for a session that is still live; signing out (or the session ending) makes it worthless.
 */
@Injectable()
export class ConsoleSessionCookie {
  private readonly box: SecretBox;
  private readonly maxAgeSeconds: number;

  constructor(
    @Inject(ENCRYPTION_KEY) key: Buffer,
    @Inject(RUNTIME) runtime: ServiceRuntime,
    @Inject(ISSUER) private readonly issuer: string,
  ) {
    this.box = new SecretBox(key, 'console-session-cookie');
    this.maxAgeSeconds = Math.ceil(runtime.config.adminSessions.maxMs / 1000);
  }

  /** After a sign-in: remembers the session its token belongs to (none for a one-time password's token). */
  issue(request: FastifyRequest, reply: FastifyReply, accessToken: string): void {
    const { fid } = decodeJwt(accessToken);
    if (typeof fid !== 'string') return;
    void reply.header('Set-Cookie', setCookie(NAME, this.box.seal(fid, NAME), this.options(request, this.maxAgeSeconds)));
  }

  clear(request: FastifyRequest, reply: FastifyReply): void {
    void reply.header('Set-Cookie', setCookie(NAME, '', this.options(request, 0)));
  }

  /**
   * The session to resume, or undefined when the browser holds no cookie (never signed in here, or signed out);
   * refuses a request a cross-site page could have made, and a cookie that is not ours.
   */
  sessionToResume(request: FastifyRequest): string | undefined {
    if (request.headers[RESUME_HEADER] !== 'resume' || !this.sameOrigin(request)) {
      throw new HttpException(
        { error: 'forbidden', message: `Only the console resumes a session (same origin, with the ${RESUME_HEADER}: resume header)` },
        HttpStatus.FORBIDDEN,
      );
    }
    const sealed = cookies(request)[NAME];
    if (!sealed) return undefined;
    try {
      return this.box.open(sealed, NAME);
    } catch {
      // Not one of ours (or sealed under another key): the same answer as no cookie.
    }
    throw new HttpException({ error: 'unauthorized', message: 'This session cookie was not issued here: sign in' }, HttpStatus.UNAUTHORIZED);
  }

  /** A browser names the page's origin on a POST; one that names another site is refused (tools that send none are not browsers). */
  private sameOrigin(request: FastifyRequest): boolean {
    const origin = request.headers.origin;
    if (origin === undefined) return true;
    try {
      const url = new URL(origin);
      return url.origin === new URL(this.issuer).origin || url.host === request.headers.host;
    } catch {
      return false;
    }
  }

  private options(request: FastifyRequest, maxAgeSeconds: number) {
    return { path: PATH, maxAgeSeconds, sameSite: 'Strict' as const, secure: request.protocol === 'https' || this.issuer.startsWith('https:') };
  }
}
