import { DEFAULT_LIMITS, egressCause, EgressRefusedError, EgressTimeoutError, ResponseTooLargeError } from '@tessera/egress';
import { redactSecrets } from '@tessera/observability';

/** RFC 6749 §5.2 errors that mean "this grant will never work again": only re-authorization helps. */
const PERMANENT_OAUTH_ERRORS = new Set([
  'invalid_grant',
  'invalid_client',
  'unauthorized_client',
  'invalid_scope',
  'unsupported_grant_type',
  'invalid_request',
]);

/** A failed call to a provider's token (or revocation) endpoint, classified for the refresh policy. */
export class TokenEndpointError extends Error {
  constructor(
    message: string,
    /** true: retrying cannot succeed (refresh_failed, re-authorize); false: network, timeout, 5xx, 429: retry with backoff. */
    readonly permanent: boolean,
    readonly status?: number,
    readonly oauthError?: string,
    /** Why no answer came, for a failure before any HTTP status. */
    readonly networkClass?: 'timeout' | 'egress_refused' | 'too_large' | 'unreachable',
  ) {
    super(message);
    this.name = 'TokenEndpointError';
  }

  /**
   * A bounded name for what went wrong (the refresh metrics' `failure_class`): the OAuth error of a permanent refusal,
   * the kind of HTTP failure, or why nothing answered. Never the provider's words.
   */
  get failureClass(): string {
    if (this.status === 429) return 'rate_limited';
    if (this.status === 408) return 'timeout';
    if (this.status !== undefined && this.status >= 500) return 'server_error';
    if (this.oauthError && PERMANENT_OAUTH_ERRORS.has(this.oauthError)) return this.oauthError;
    if (this.status !== undefined) return 'http_4xx';
    return this.networkClass ?? (this.permanent ? 'misconfigured' : 'unreachable');
  }
}

function parseBody(text: string): Record<string, unknown> | undefined {
  try {
    const parsed = JSON.parse(text);
    return parsed && typeof parsed === 'object' ? parsed : undefined;
  } catch {
    const form = new URLSearchParams(text);
    return form.has('error') ? Object.fromEntries(form) : undefined;
  }
}

/**
 * Classifies an HTTP error answer from a token endpoint. 429 and 5xx are transient whatever the body says;
 * a known OAuth error or a 400/401/403 is permanent. The message keeps the provider's own words (lastMessage
 * must be "verbatim enough to act on") but is cut short so a provider's HTML error page cannot flood it.
 */
export function classifyHttpFailure(status: number, bodyText: string, secrets: readonly string[] = []): TokenEndpointError {
  const body = parseBody(bodyText);
  const oauthError = typeof body?.error === 'string' ? body.error : undefined;
  const description = typeof body?.error_description === 'string' ? body.error_description : undefined;
  // Redacted before it is cut short, so a secret straddling the cut cannot survive as a prefix.
  const said = redactSecrets(oauthError ? `${oauthError}${description ? `: ${description}` : ''}` : bodyText.trim() || '(empty body)', secrets);
  const message = `token endpoint answered ${status}: ${oauthError ? said : said.slice(0, 300)}`.slice(0, 1000);
  const transient = status === 429 || status >= 500 || status === 408;
  const permanent = !transient && ((oauthError !== undefined && PERMANENT_OAUTH_ERRORS.has(oauthError)) || status === 400 || status === 401 || status === 403);
  return new TokenEndpointError(message, permanent, status, oauthError);
}

/**
 * A network failure, timeout or egress refusal: always transient (a refusal may be a DNS answer of the moment, and an
 * operator may widen TESSERA_EGRESS_ALLOW; retrying with backoff costs nothing and burns no grant).
 */
export function networkFailure(thrown: unknown, timeoutMs: number, secrets: readonly string[] = []): TokenEndpointError {
  const error = egressCause(thrown, DEFAULT_LIMITS);
  const name = (error as Error)?.name;
  if (name === 'TimeoutError' || name === 'AbortError')
    return new TokenEndpointError(`token endpoint did not answer within ${timeoutMs} ms`, false, undefined, undefined, 'timeout');
  if (error instanceof EgressRefusedError || error instanceof EgressTimeoutError || error instanceof ResponseTooLargeError) {
    const kind = error instanceof EgressRefusedError ? 'egress_refused' : error instanceof EgressTimeoutError ? 'timeout' : 'too_large';
    return new TokenEndpointError(`token endpoint ${error.message}`, false, undefined, undefined, kind);
  }
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  return new TokenEndpointError(
    redactSecrets(`token endpoint unreachable: ${cause?.code ?? cause?.message ?? (error as Error)?.message ?? String(error)}`, secrets),
    false,
    undefined,
    undefined,
    'unreachable',
  );
}
