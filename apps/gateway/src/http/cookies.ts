import type { FastifyRequest } from 'fastify';

/** The request's cookies by name (the first of a name wins, as browsers send the most specific path first). */
export function cookies(request: FastifyRequest): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of String(request.headers.cookie ?? '').split(';')) {
    const index = part.indexOf('=');
    const name = index > 0 ? part.slice(0, index).trim() : '';
    if (name && !(name in out)) out[name] = part.slice(index + 1).trim();
  }
  return out;
}

export interface CookieOptions {
  path: string;
  maxAgeSeconds: number;
  sameSite: 'Lax' | 'Strict';
  /** Sent over HTTPS only: set when the platform is reached over https. */
  secure: boolean;
}

/** A Set-Cookie value for an HttpOnly cookie (script never reads our cookies). Max-Age 0 removes it. */
export function setCookie(name: string, value: string, options: CookieOptions): string {
  const secure = options.secure ? '; Secure' : '';
  return `${name}=${value}; Path=${options.path}; HttpOnly; SameSite=${options.sameSite}; Max-Age=${options.maxAgeSeconds}${secure}`;
}
