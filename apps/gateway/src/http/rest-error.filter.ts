import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus } from '@nestjs/common';
import { BusError, OAUTH_ERRORS, type BusErrorCode } from '@tessera/contracts';
import type { Logger } from '@tessera/observability';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** Endpoints whose every error is an RFC 6749 §5.2 JSON body, even one raised before the handler runs. */
const OAUTH_JSON_ENDPOINTS = new Set(['/oauth/token', '/oauth/introspect', '/oauth/revoke']);

/**
 * The one place where errors become HTTP statuses: services raise codes (BusError), never statuses. Used for REST
 * JSON and OAuth JSON (this filter) and for the HTML pages (the authorize and callback pages render their own body
 * with the status `httpStatusFor` gives).
 */
const HTTP_STATUS_FOR: Record<BusErrorCode, number> = {
  validation_failed: HttpStatus.BAD_REQUEST,
  not_found: HttpStatus.NOT_FOUND,
  conflict: HttpStatus.CONFLICT,
  unauthorized: HttpStatus.UNAUTHORIZED,
  forbidden: HttpStatus.FORBIDDEN,
  rate_limited: HttpStatus.TOO_MANY_REQUESTS,
  oauth: HttpStatus.BAD_REQUEST,
  unavailable: HttpStatus.SERVICE_UNAVAILABLE,
  internal: HttpStatus.INTERNAL_SERVER_ERROR,
};

/** REST `error` codes for statuses raised without one (Nest's router, Fastify's parsers, guards). */
const CODE_FOR_STATUS: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  406: 'not_acceptable',
  408: 'request_timeout',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
  431: 'request_header_fields_too_large',
  503: 'unavailable',
};

/** An OAuth error's status, from the one table of OAuth errors (contracts); a code not in it is a 400 like most. */
function oauthStatus(code: string): number {
  return Object.hasOwn(OAUTH_ERRORS, code) ? OAUTH_ERRORS[code as keyof typeof OAUTH_ERRORS].status : HttpStatus.BAD_REQUEST;
}

function oauthCode(error: BusError): string {
  return typeof error.details?.error === 'string' ? error.details.error : 'invalid_request';
}

/** A client error Fastify raised itself (malformed JSON, unsupported media type, body too large): its status. */
function clientErrorStatus(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown })?.statusCode;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : undefined;
}

/** The HTTP status an error answers with, wherever it surfaces (REST, OAuth endpoints, HTML pages). */
export function httpStatusFor(error: unknown): number {
  if (error instanceof BusError) return error.code === 'oauth' ? oauthStatus(oauthCode(error)) : HTTP_STATUS_FOR[error.code];
  if (error instanceof HttpException) return error.getStatus();
  return clientErrorStatus(error) ?? HttpStatus.INTERNAL_SERVER_ERROR;
}

/** Seconds to wait before asking again, for a 429 or a 503 (a service that knows when, the broker backing off a provider, says so). */
function retryAfterSeconds(error: unknown, status: number): number | undefined {
  if (status !== HttpStatus.SERVICE_UNAVAILABLE && status !== HttpStatus.TOO_MANY_REQUESTS) return undefined;
  const value = error instanceof BusError ? error.details?.retryAfterSeconds : undefined;
  if (typeof value === 'number' && Number.isInteger(value) && value > 0 && value <= 86_400) return value;
  return status === HttpStatus.TOO_MANY_REQUESTS ? 60 : 1;
}

/** Sets the status and Retry-After an error calls for, and says which status that is. */
export function answerStatus(reply: FastifyReply, error: unknown): number {
  const status = httpStatusFor(error);
  const retryAfter = retryAfterSeconds(error, status);
  if (retryAfter !== undefined) void reply.header('Retry-After', String(retryAfter));
  return status;
}

/** REST error body: `{ statusCode, error, message, fields? }`, `error` a snake_case code, fields field → messages for a 400. */
function restBody(error: unknown, statusCode: number): Record<string, unknown> {
  if (error instanceof BusError) {
    const fields = error.code === 'validation_failed' ? error.details : undefined;
    return { statusCode, error: error.code, message: error.message, ...(fields ? { fields } : {}) };
  }
  const fallback = CODE_FOR_STATUS[statusCode] ?? (statusCode >= 500 ? 'internal' : 'bad_request');
  if (error instanceof HttpException) {
    const response = error.getResponse();
    const body = (typeof response === 'object' && response ? response : {}) as { error?: unknown; message?: unknown; fields?: unknown };
    // Ours carry a snake_case code; Nest's own (the router's 404, body parsers) a phrase such as "Not Found".
    const code = typeof body.error === 'string' && /^[a-z][a-z_]*$/.test(body.error) ? body.error : fallback;
    const message = typeof body.message === 'string' ? body.message : error.message;
    return { statusCode, error: code, message, ...(body.fields ? { fields: body.fields } : {}) };
  }
  if (statusCode < 500) return { statusCode, error: fallback, message: String((error as Error).message ?? 'The request is malformed') };
  return { statusCode: 500, error: 'internal', message: 'Internal server error' };
}

/** RFC 6749 §5.2 body for an OAuth endpoint: nothing else reaches a client library there, not even a body-parser error. */
function oauthBody(error: unknown, statusCode: number): { error: string; error_description: string } {
  if (error instanceof BusError && error.code === 'oauth') return { error: oauthCode(error), error_description: error.message };
  if (statusCode === HttpStatus.SERVICE_UNAVAILABLE)
    return { error: 'temporarily_unavailable', error_description: 'The authorization server is unavailable; retry shortly' };
  if (statusCode === HttpStatus.TOO_MANY_REQUESTS) return { error: 'temporarily_unavailable', error_description: (error as Error).message };
  if (statusCode >= 500) return { error: 'server_error', error_description: 'The authorization server failed to handle the request' };
  return { error: 'invalid_request', error_description: String((error as Error).message ?? 'The request is malformed') };
}

/** The RFC 6749 code an OAuth endpoint answers this error with (what the token endpoint's metrics count). */
export function oauthErrorCode(error: unknown): string {
  return oauthBody(error, httpStatusFor(error)).error;
}

/** Every error of an HTTP request: REST JSON, or RFC 6749 JSON at the OAuth endpoints. */
@Catch()
export class RestErrorFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const statusCode = answerStatus(reply, exception);
    // An outage is logged once, by the service that watches the dependency; a line per refused request adds nothing.
    if (statusCode >= 500 && statusCode !== HttpStatus.SERVICE_UNAVAILABLE)
      this.logger.error({ err: exception }, exception instanceof BusError ? 'service error' : 'unhandled error');
    const path = request.url?.split('?')[0] ?? '';
    if (path.startsWith('/health') && exception instanceof HttpException && typeof exception.getResponse() === 'object') {
      // Readiness is a report, not an error: Terminus' `{status, info, error: {<check>: …}, details}` as probes read it.
      return void reply.status(statusCode).send({ statusCode, ...(exception.getResponse() as object) });
    }
    if (!OAUTH_JSON_ENDPOINTS.has(path)) return void reply.status(statusCode).send(restBody(exception, statusCode));
    const body = oauthBody(exception, statusCode);
    // RFC 6749 §5.2: a client that tried HTTP Basic is told which scheme to use.
    if (body.error === 'invalid_client' && /^basic /i.test(request.headers.authorization ?? ''))
      void reply.header('WWW-Authenticate', 'Basic realm="tessera", charset="UTF-8"');
    // RFC 9449 §8: the nonce the client is to put in its next DPoP proof.
    const nonce = exception instanceof BusError ? exception.details?.dpopNonce : undefined;
    if (typeof nonce === 'string') void reply.header('DPoP-Nonce', nonce);
    void reply.status(statusCode).header('Cache-Control', 'no-store').header('Pragma', 'no-cache').send(body);
  }
}
