import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** Longer than any authorization request stays pending; a cookie outliving its state names nothing. */
const STATE_COOKIE_MAX_AGE_SECONDS = 30 * 60;
const CALLBACK_PATH = '/oauth/callback';

/** One cookie per started authorization, named after its state, so two tabs' authorizations do not overwrite each other. */
function cookieName(state: string): string {
  return `tessera_oauth_${createHash('sha256').update(state).digest('base64url').slice(0, 22)}`;
}

function cookies(request: FastifyRequest): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of String(request.headers.cookie ?? '').split(';')) {
    const index = part.indexOf('=');
    if (index > 0) out.set(part.slice(0, index).trim(), part.slice(index + 1).trim());
  }
  return out;
}

function cookie(name: string, value: string, maxAge: number, issuer: string): string {
  const secure = issuer.startsWith('https:') ? '; Secure' : '';
  // Lax: the provider sends the browser back with a top-level GET from its own site, which Lax cookies accompany.
  return `${name}=${value}; Path=${CALLBACK_PATH}; HttpOnly; SameSite=Lax; Max-Age=${maxAge}${secure}`;
}

/**
 * Binds an authorization the gateway starts to the browser that asked for it (RFC 9700 §4.7.1, login CSRF): the
 * reply sets a cookie named after the authorization URL's `state`, and the callback refuses a state whose cookie the
 * browser does not hold. Someone who starts an authorization and lures another admin's browser to its callback (so
 * the victim's token ends up with the attacker's account, or the reverse) is refused.
 */
export function bindState(reply: FastifyReply, authorizationUrl: string, issuer: string): void {
  let state: string | null = null;
  try {
    state = new URL(authorizationUrl).searchParams.get('state');
  } catch {
    /* not a URL: nothing to bind */
  }
  if (state) void reply.header('set-cookie', cookie(cookieName(state), '1', STATE_COOKIE_MAX_AGE_SECONDS, issuer));
}

/** Whether this browser started the authorization `state` belongs to; clears the cookie either way. */
export function takeBoundState(request: FastifyRequest, reply: FastifyReply, state: string | undefined, issuer: string): boolean {
  if (!state) return false;
  const name = cookieName(state);
  const bound = cookies(request).get(name) === '1';
  if (bound) void reply.header('set-cookie', cookie(name, '', 0, issuer));
  return bound;
}
