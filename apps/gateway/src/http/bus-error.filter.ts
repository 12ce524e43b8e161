import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus } from '@nestjs/common';
import { BusError, type BusErrorCode } from '@tessera/contracts';
import type { Logger } from '@tessera/observability';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** Endpoints whose every error is an RFC 6749 §5.2 JSON body, even one raised before the handler runs. */
const OAUTH_JSON_ENDPOINTS = new Set(['/oauth/token', '/oauth/introspect', '/oauth/revoke']);

/** The one place where errors from the bus become HTTP statuses. */
export const HTTP_STATUS_FOR: Record<BusErrorCode, number> = {
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

/** A failure at an OAuth endpoint is still RFC 6749 §5.2 JSON a client library can parse, never a REST body. */
function sendOAuthServerError(reply: FastifyReply, statusCode: number): void {
  const unavailable = statusCode === HttpStatus.SERVICE_UNAVAILABLE;
  void reply.status(unavailable ? 503 : 500).header('Cache-Control', 'no-store').header('Pragma', 'no-cache').send({
    error: unavailable ? 'temporarily_unavailable' : 'server_error',
    error_description: unavailable ? 'The authorization server is unavailable; retry shortly' : 'The authorization server failed to handle the request',
  });
}

function retryAfterSeconds(details: Record<string, unknown> | undefined): number | undefined {
  const value = details?.retryAfterSeconds;
  return typeof value === 'number' && Number.isInteger(value) && value > 0 && value <= 86_400 ? value : undefined;
}

function errorNameFor(status: number): string {
  return ({ 400: 'bad_request', 401: 'unauthorized', 403: 'forbidden', 404: 'not_found', 405: 'method_not_allowed', 413: 'payload_too_large', 415: 'unsupported_media_type', 429: 'rate_limited' } as Record<number, string>)[status] ?? (status >= 500 ? 'internal' : 'bad_request');
}

/** REST error body: `{ statusCode, error, message, fields? }`, fields being field → messages for a 400. */
@Catch()
export class RestErrorFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const clientError = exception instanceof HttpException ? exception.getStatus() : (exception as { statusCode?: number })?.statusCode;
    const path = host.switchToHttp().getRequest<FastifyRequest>().url?.split('?')[0] ?? '';
    if (OAUTH_JSON_ENDPOINTS.has(path) && typeof clientError === 'number' && clientError >= 400 && clientError < 500) {
      // Body too large, unsupported media type, malformed body: Fastify refuses these before the OAuth controller runs.
      const description = exception instanceof HttpException ? exception.message : String((exception as Error).message ?? 'The request is malformed');
      void reply.status(clientError).header('Cache-Control', 'no-store').header('Pragma', 'no-cache').send({ error: 'invalid_request', error_description: description });
      return;
    }
    if (exception instanceof BusError) {
      const statusCode = exception.code === 'oauth' ? Number(exception.details?.status ?? 400) : HTTP_STATUS_FOR[exception.code];
      // A service that knows when asking again can help (the broker backing off a failing provider) says so.
      if (statusCode === HttpStatus.SERVICE_UNAVAILABLE) reply.header('Retry-After', String(retryAfterSeconds(exception.details) ?? 1));
      if (exception.code === 'rate_limited') reply.header('Retry-After', String(exception.details?.retryAfterSeconds ?? 60));
      // An outage is logged once, by the service that watches the dependency; a line per refused request adds nothing.
      if (statusCode >= 500 && statusCode !== HttpStatus.SERVICE_UNAVAILABLE) this.logger.error({ err: exception }, 'service error');
      if (statusCode >= 500 && OAUTH_JSON_ENDPOINTS.has(path)) return sendOAuthServerError(reply, statusCode);
      const fields = exception.code === 'validation_failed' ? exception.details : undefined;
      void reply.status(statusCode).send({ statusCode, error: exception.code, message: exception.message, ...(fields ? { fields } : {}) });
      return;
    }
    if (exception instanceof HttpException) {
      const statusCode = exception.getStatus();
      const body = exception.getResponse();
      // One shape for every REST error, whoever raised it (Nest's body parsers leave out `error`).
      const fields = typeof body === 'object' ? body as Record<string, unknown> : { message: body };
      void reply.status(statusCode).send({ statusCode, error: errorNameFor(statusCode), message: exception.message, ...fields });
      return;
    }
    const status = (exception as { statusCode?: number })?.statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      // Fastify's own client errors: malformed JSON, unsupported media type, body too large.
      void reply.status(status).send({ statusCode: status, error: 'bad_request', message: (exception as Error).message });
      return;
    }
    this.logger.error({ err: exception }, 'unhandled error');
    if (OAUTH_JSON_ENDPOINTS.has(path)) return sendOAuthServerError(reply, 500);
    void reply.status(500).send({ statusCode: 500, error: 'internal', message: 'Internal server error' });
  }
}
