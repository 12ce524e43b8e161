import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** For an HTML response that set no policy of its own: nothing loads, nothing frames it, forms go nowhere. */
const DEFAULT_HTML_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** Route classes whose every response carries (or may carry) a secret or a token: never stored by any cache. */
const SECRET_BEARING = [/^\/admin(\/|$)/, /^\/tokens(\/|$)/, /^\/oauth\/(token|introspect|revoke|authorize|callback)(\/|$)/, /^\/api(\/|$)/];

function carriesSecrets(path: string): boolean {
  return SECRET_BEARING.some((pattern) => pattern.test(path));
}

function isHtml(reply: FastifyReply): boolean {
  return /^\s*text\/html/i.test(String(reply.getHeader('content-type') ?? ''));
}

/**
 * Headers decided by route class, in one hook, so a route added later cannot forget them:
 * - every response: nosniff;
 * - every HTML page (OAuth pages, /oauth/callback, the console): a CSP that includes `frame-ancestors 'none'` (the
 *   route's own, or DEFAULT_HTML_CSP), X-Frame-Options DENY and Referrer-Policy no-referrer;
 * - every response of a secret-bearing route (admin API, /tokens, the token endpoints and pages): Cache-Control
 *   no-store, whatever the handler set; any other response without a Cache-Control gets no-store too — a route
 *   that may be cached (JWKS, console assets) says so itself.
 */
function applySecurityHeaders(request: FastifyRequest, reply: FastifyReply): void {
  void reply.header('x-content-type-options', 'nosniff');
  if (isHtml(reply)) {
    const csp = reply.getHeader('content-security-policy');
    if (!csp) void reply.header('content-security-policy', DEFAULT_HTML_CSP);
    else if (!/frame-ancestors/i.test(String(csp))) void reply.header('content-security-policy', `${String(csp)}; frame-ancestors 'none'`);
    void reply.header('x-frame-options', 'DENY').header('referrer-policy', 'no-referrer');
  }
  const path = (request.url ?? '').split('?')[0];
  if (carriesSecrets(path)) void reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
  else if (!reply.hasHeader('cache-control')) void reply.header('cache-control', 'no-store');
}

export function registerSecurityHeaders(fastify: FastifyInstance): void {
  fastify.addHook('onSend', (request, reply, payload, done) => {
    applySecurityHeaders(request, reply);
    done(null, payload);
  });
}
