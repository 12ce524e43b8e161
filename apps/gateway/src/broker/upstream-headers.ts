/** RFC 9110 §7.6.1: hop-by-hop headers describe one connection, never the message; a proxy drops them both ways. */
const HOP_BY_HOP = [
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
];
/** Also never sent up: the caller's own credentials and what describes the caller's request to us, not ours upstream. */
const NOT_FORWARDED_UP = new Set([...HOP_BY_HOP, 'host', 'authorization', 'cookie', 'content-length', 'x-request-id', 'expect']);
/**
 * Also never sent down: framing the gateway redoes, cookies (they would be set on the gateway's origin), and the
 * upstream's own CSP, which the gateway replaces with its sandbox.
 */
const NOT_FORWARDED_DOWN = new Set([
  ...HOP_BY_HOP,
  'content-length',
  'content-encoding',
  'set-cookie',
  'set-cookie2',
  'content-security-policy',
  'x-content-type-options',
]);

/**
 * Every proxied answer is served from the gateway's origin, where the admin console and its token live: a page the
 * upstream serves must not run as that origin. `sandbox` gives it an opaque origin (no scripts, no forms, no
 * cookies of ours), nosniff stops a JSON or text answer being read as HTML.
 */
export const PROXIED_RESPONSE_HEADERS: Record<string, string> = {
  'content-security-policy': "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
};

/** The header names a Connection header lists: hop-by-hop too (RFC 9110 §7.6.1). */
function connectionNamed(value: string | string[] | null | undefined): Set<string> {
  const joined = Array.isArray(value) ? value.join(',') : (value ?? '');
  return new Set(
    joined
      .split(',')
      .map((name) => name.trim().toLowerCase())
      .filter(Boolean),
  );
}

export function upstreamRequestHeaders(incoming: Record<string, string | string[] | undefined>): Record<string, string> {
  const named = connectionNamed(incoming.connection);
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(incoming)) {
    const name = key.toLowerCase();
    if (value === undefined || NOT_FORWARDED_UP.has(name) || named.has(name)) continue;
    headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

export function downstreamResponseHeaders(upstream: Headers): [string, string][] {
  const named = connectionNamed(upstream.get('connection'));
  const headers: [string, string][] = [];
  upstream.forEach((value, key) => {
    if (!NOT_FORWARDED_DOWN.has(key) && !named.has(key)) headers.push([key, value]);
  });
  return headers;
}
