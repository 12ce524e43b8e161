import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiExtension, ApiOperation, ApiProduces, ApiResponse } from '@nestjs/swagger';
import { ref, type Class, type Schema } from './class-schemas.js';

const REASONS: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  204: 'No Content',
  303: 'See Other',
  400: 'Invalid request',
  401: 'Not authenticated',
  403: 'Not permitted',
  404: 'Not found',
  409: 'Conflicts with the current state',
  413: 'The body is larger than 256 KiB',
  415: 'A media type the route does not read',
  429: 'Too many requests; see Retry-After',
  502: 'The upstream failed or was refused',
  503: 'A service is unavailable; see Retry-After',
  504: 'The upstream timed out',
};

export const reason = (status: number): string => REASONS[status] ?? String(status);

/** The operation extension by which QueryParameters names its class; the document builder expands it and removes it. */
export const QUERY_CLASS = 'x-tessera-query-class';

/**
 * What a route answers on success: `@Answers(201, 'Create an integration')`. A JSON answer's shape is its route's
 * reply in contracts' HTTP_API, filled in by the document builder; any other answer names its media type and schema
 * here (`{ type: 'text/event-stream', schema: … }`).
 */
export function Answers(status: number, summary: string, content?: { type: string; schema: Schema }) {
  return applyDecorators(
    ApiOperation({ summary }),
    ApiResponse({ status, description: reason(status), ...(content ? { content: { [content.type]: { schema: content.schema } } } : {}) } as never),
  );
}

/** Route-specific REST errors (400, 401/403, 404 and 503 are added where they apply: openapi/document.ts). */
export function Refuses(...statuses: number[]) {
  return applyDecorators(
    ...statuses.map((status) => ApiResponse({ status, description: reason(status), content: { 'application/json': { schema: ref('RestError') } } } as never)),
  );
}

/** An OAuth endpoint: a form-encoded body (RFC 6749 §3.2), described by its class in contracts, and RFC 6749 §5.2 errors. */
export function OAuthForm(form: Class, ...errorStatuses: number[]) {
  const errors = errorStatuses.map((status) =>
    ApiResponse({
      status,
      description: status === 401 ? 'invalid_client (with WWW-Authenticate when HTTP Basic was used)' : reason(status),
      content: { 'application/json': { schema: ref('OAuthError') } },
    } as never),
  );
  return applyDecorators(ApiConsumes('application/x-www-form-urlencoded'), ApiBody({ type: form } as never), ...errors);
}

/** A server-rendered HTML page (strict CSP with a per-response nonce, no script). */
export function HtmlPage(summary: string, ...statuses: number[]) {
  return applyDecorators(
    ApiOperation({ summary }),
    ApiProduces('text/html'),
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: status === 303 ? 'Redirect (Location) back to the client or to the next step' : reason(status),
        ...(status === 303 ? {} : { content: { 'text/html': { schema: { type: 'string' } } } }),
      } as never),
    ),
  );
}

/** Query parameters a route reads itself (no DTO validates them there), described by a class in contracts. */
export function QueryParameters(query: Class) {
  return ApiExtension(QUERY_CLASS, query.name);
}
