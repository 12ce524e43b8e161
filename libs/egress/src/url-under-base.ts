/** A request path that would leave the base URL it is meant to stay under (ADR 0015). */
export class PathEscapeError extends Error {
  constructor(reason: string) {
    super(`The proxied path is refused: ${reason}`);
    this.name = 'PathEscapeError';
  }
}

/** Characters some server along the way may read as a dot once it has normalised Unicode (NFKC) or ideographic stops. */
const DOT_LIKE = /[\u3002\uff0e\uff61\u2024\ufe52]/g;
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** Percent-decodes until nothing changes (double and triple encoding), or null when the encoding is broken or too deep. */
function fullyDecoded(segment: string): string | null {
  let current = segment;
  for (let round = 0; round < 5; round++) {
    let next: string;
    try {
      next = decodeURIComponent(current);
    } catch {
      return null;
    }
    if (next === current) return current;
    current = next;
  }
  return null;
}

/**
 * Why a path segment could be read, by the upstream or anything between, as a step out of its place: a dot segment
 * in any encoding or disguise (`..`, `%2e%2e`, `%252e`, `.%09.`, `．．`, `..;x`), or one that hides a separator or
 * control character (`..%2f`, `%5c`, `%0a`). Undefined when the segment is plain.
 */
function segmentProblem(segment: string): string | undefined {
  const decoded = fullyDecoded(segment);
  if (decoded === null) return 'a segment has broken or too deeply nested percent-encoding';
  if (CONTROL.test(decoded)) return 'a segment holds a control character';
  const normalised = decoded.normalize('NFKC').replace(DOT_LIKE, '.');
  if (/[/\\]/.test(normalised)) return 'a segment holds an encoded / or \\';
  // Path parameters (`..;jsessionid=1`) are dropped by some servers before they resolve dot segments.
  const bare = normalised.split(';')[0].replace(/[\s\u200b-\u200d\ufeff]/g, '');
  if (bare === '.' || bare === '..') return 'the path may not contain . or .. segments';
  return undefined;
}

/**
 * `rawPath` (as it came in, still percent-encoded, no query) and `query` resolved under `baseUrl` by the WHATWG URL
 * parser, then checked: same origin as baseUrl, baseUrl's path segments as its prefix, and no segment that a more
 * lenient server could resolve differently. Throws PathEscapeError otherwise. The check is on the URL actually sent.
 */
export function urlUnderBase(baseUrl: string, rawPath: string, query = ''): URL {
  if (/[\\\u0000-\u001f\u007f]/.test(rawPath) || /%5c/i.test(rawPath)) throw new PathEscapeError('backslashes and control characters are not allowed');
  const base = new URL(baseUrl);
  const baseSegments = base.pathname.split('/').filter(Boolean);
  // `/proxy/name//host/x` would be a scheme-relative reference to another host.
  if (rawPath.startsWith('/')) throw new PathEscapeError('the path may not start with //');
  const joined = `/${[...baseSegments, rawPath].join('/')}`;
  const target = new URL(`${joined}${query}`, base.origin);
  if (target.origin !== base.origin || target.username || target.password) throw new PathEscapeError("it leaves the base URL's origin");
  const segments = target.pathname.split('/').slice(1);
  if (baseSegments.some((segment, index) => segments[index] !== segment)) throw new PathEscapeError("it leaves the base URL's path");
  for (const segment of segments.slice(baseSegments.length)) {
    const problem = segmentProblem(segment);
    if (problem) throw new PathEscapeError(problem);
  }
  target.hash = '';
  return target;
}
