import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOperation, ApiProduces, ApiQuery, ApiResponse } from '@nestjs/swagger';
import { ref } from './schemas.js';

type Schema = Record<string, unknown>;

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

const schemaOf = (schema: string | Schema): Schema => (typeof schema === 'string' ? ref(schema) : schema);

/**
 * What a route answers on success: `@Answers(201, 'IntegrationWithSecret', 'Create an integration')` (a schema of
 * openapi/schemas.ts, or an inline one; null: no body, as for 204).
 */
export function Answers(status: number, schema: string | Schema | null, summary: string, contentType = 'application/json') {
  return applyDecorators(
    ApiOperation({ summary }),
    ApiResponse({ status, description: reason(status), ...(schema ? { content: { [contentType]: { schema: schemaOf(schema) } } } : {}) } as never),
  );
}

/** Route-specific REST errors (400, 401/403, 404 and 503 are added where they apply: openapi/document.ts). */
export function Refuses(...statuses: number[]) {
  return applyDecorators(
    ...statuses.map((status) => ApiResponse({ status, description: reason(status), content: { 'application/json': { schema: ref('RestError') } } } as never)),
  );
}

/** An OAuth endpoint: a form-encoded body (RFC 6749 §3.2) and RFC 6749 §5.2 errors. */
export function OAuthForm(form: Schema, ...errorStatuses: number[]) {
  const errors = errorStatuses.map((status) =>
    ApiResponse({
      status,
      description: status === 401 ? 'invalid_client (with WWW-Authenticate when HTTP Basic was used)' : reason(status),
      content: { 'application/json': { schema: ref('OAuthError') } },
    } as never),
  );
  return applyDecorators(ApiConsumes('application/x-www-form-urlencoded'), ApiBody({ schema: form } as never), ...errors);
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

/** Query parameters a route reads itself (no DTO), in the order given; `name!` is a required one. */
export function QueryParameters(parameters: Record<string, Schema>) {
  return applyDecorators(
    ...Object.entries(parameters).map(([name, schema]) =>
      ApiQuery({ name: name.replace(/!$/, ''), required: name.endsWith('!'), schema: { type: 'string', ...schema } } as never),
    ),
  );
}
