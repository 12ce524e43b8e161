import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import {
  ANNOUNCED_CLIENT_AUTHENTICATION_METHODS,
  CLIENT_AUTHENTICATION,
  HTTP_API,
  OAuthError,
  RestError,
  type HttpMethod,
  type HttpRoute,
} from '@tessera/contracts';
import { answerSchemas, classSchemas, describeValidatedClasses, queryParameters, ref, type Class, type Schema } from './class-schemas.js';
import { QUERY_CLASS, reason } from './decorators.js';

type Operation = Record<string, unknown> & {
  parameters?: Record<string, unknown>[];
  responses: Record<string, Record<string, unknown>>;
  requestBody?: unknown;
  security?: unknown[];
};

const VERSION = '0.1.0';
/** Methods OpenAPI 3.1 can name; the proxy forwards others too (SEARCH, QUERY, WebDAV's), which its summary says in words. */
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
/** OAuth endpoints answer RFC 6749 errors; their pages answer HTML. */
const OAUTH_JSON = new Set(['/oauth/token', '/oauth/introspect', '/oauth/revoke']);
const HTML_PAGES = new Set(['/oauth/authorize', '/oauth/callback']);

const TAGS: [RegExp, string, string][] = [
  [/^\/health/, 'Health', 'Liveness and readiness'],
  [
    /^\/(\.well-known|oauth)\//,
    'OAuth 2',
    'The authorization server: RFC 6749 token endpoint, RFC 7662 introspection, RFC 7009 revocation, RFC 8414 metadata, JWKS and the authorization pages',
  ],
  [/^\/admin\/(login|logout|password)$/, 'Admin session', 'Signing in and out of the admin API'],
  [/^\/admin\/(integrations|permissions)/, 'Integrations', 'Inbound OAuth clients, their secrets, permissions and live grants'],
  [/^\/admin\/instances/, 'Platform instances', 'Platform-to-platform trust (P2PI)'],
  [/^\/admin\/providers/, 'Providers', 'OAuth providers of the outbound token broker'],
  [/^\/admin\/tokens/, 'Outbound tokens', 'Tokens the platform holds to call other systems (never returned here)'],
  [/^\/admin\/events/, 'Events', 'The live event feed'],
  [/^\/(tokens|proxy)\//, 'Using outbound tokens', 'For integrations granted `*:tokens/<name>=read|proxy` (or `<instance>:p2pi=…`)'],
  [/^\/api\//, 'Resources', 'Resources an access token can call'],
  [/^\/(console|docs|openapi\.json)/, 'Files', 'The admin console and this reference'],
];

const DESCRIPTION = `Every HTTP route of the Tessera gateway.

**Errors.** REST routes answer \`{statusCode, error, message, fields?}\`, \`error\` being a snake_case code (\`validation_failed\`,
\`unauthorized\`, \`forbidden\`, \`not_found\`, \`conflict\`, \`rate_limited\`, \`unavailable\` …) and \`fields\` (for a 400) field → messages.
The OAuth endpoints answer RFC 6749 §5.2 \`{error, error_description}\`. Unknown routes answer 404 \`{"error": "not_found"}\`.
A 503 (a service did not answer) carries \`Retry-After\`. DELETE answers 204 No Content.

**Authentication.** \`/admin\` routes need a Bearer access token holding \`*:platform=admin\` (from \`POST /admin/login\`, or an
integration's client_credentials token granted that permission); \`x-tessera-permission\` names what each route needs.
The OAuth endpoints authenticate clients by the integration's method: ${ANNOUNCED_CLIENT_AUTHENTICATION_METHODS.map(
  (method) => `${method} (${CLIENT_AUTHENTICATION[method].label})`,
).join(', ')}.`;

/** Fastify routes outside Nest's controllers: the console's files and this reference. */
function fileRoutes(): Record<string, Record<string, Operation>> {
  const file = (operationId: string, summary: string, type: string): Operation => ({
    operationId,
    summary,
    responses: { 200: { description: 'OK', content: { [type]: { schema: { type: 'string' } } } }, 404: { description: 'Not found' } },
  });
  const filePath = { name: 'path', in: 'path', required: true, schema: { type: 'string' }, description: 'A file, or a page of the app (served index.html)' };
  return {
    '/': { get: { operationId: 'home_redirect', summary: 'Redirects to the console', responses: { 302: { description: 'To /console/' } } } },
    '/console': { get: { operationId: 'console_redirect', summary: 'Redirects to /console/', responses: { 302: { description: 'To /console/' } } } },
    '/console/{path}': {
      get: { ...file('console_file', 'The admin console (a single-page app: strict CSP, no inline script)', 'text/html'), parameters: [filePath] },
    },
    '/openapi.json': {
      get: {
        operationId: 'reference_document',
        summary: 'This document',
        responses: { 200: { description: 'OK', content: { 'application/json': { schema: { type: 'object' } } } } },
      },
    },
    '/docs': { get: file('reference_page', 'The API reference page (its scripts and styles are served by the gateway)', 'text/html') },
    '/docs/{path}': {
      get: {
        ...file('reference_file', 'Files of the reference page (`/docs/` itself redirects to the page)', 'application/octet-stream'),
        parameters: [filePath],
      },
    },
  };
}

const restError = (status: number) => ({ description: reason(status), content: { 'application/json': { schema: ref('RestError') } } });
const oauthError = (status: number) => ({ description: reason(status), content: { 'application/json': { schema: ref('OAuthError') } } });

/** The errors every route of a kind can answer, added here once instead of on every route. */
function addCommonErrors(path: string, operation: Operation): void {
  const responses = operation.responses;
  const add = (status: number, response: Record<string, unknown>) => {
    responses[status] ??= response;
  };
  if (path === '/' || path.startsWith('/console') || path.startsWith('/docs') || path === '/openapi.json' || path.startsWith('/health')) return;
  if (OAUTH_JSON.has(path)) {
    add(400, oauthError(400));
    add(413, oauthError(413));
    add(503, oauthError(503));
    return;
  }
  if (HTML_PAGES.has(path)) {
    add(503, { description: reason(503), content: { 'text/html': { schema: { type: 'string' } } } });
    return;
  }
  const hasQuery = operation.parameters?.some((p) => p.in === 'query');
  if (operation.requestBody || hasQuery) add(400, restError(400));
  if (operation.requestBody) {
    add(413, restError(413));
    add(415, restError(415));
  }
  if (/\{(id|familyId|name)\}/.test(path)) add(404, restError(404));
  add(503, restError(503));
}

/** `/admin/integrations/{id}` as HTTP_API names it: `/admin/integrations/:id`. */
const routeKey = (path: string) => path.replace(/\{(\w+)\}/g, ':$1');

/**
 * Gives a JSON route its answer from HTTP_API and checks the two agree: the body the controller validates is the
 * route's, its query parameters are the query class's. What a route answers is thereby declared once, in contracts.
 */
function answerFromRoute(path: string, method: string, operation: Operation, replies: Set<Class>, seen: Set<string>): void {
  const route = (HTTP_API as Record<string, Partial<Record<HttpMethod, HttpRoute>>>)[routeKey(path)]?.[method as HttpMethod];
  const where = `${method.toUpperCase()} ${path}`;
  const success = Object.keys(operation.responses).find((status) => status.startsWith('2'));
  if (!route) {
    if (success && success !== '204' && !operation.responses[success].content)
      throw new Error(`${where} answers JSON but has no route in HTTP_API (libs/contracts)`);
    return;
  }
  seen.add(`${method} ${routeKey(path)}`);
  if (!success) throw new Error(`${where}: @Answers is missing`);
  if (route.reply) {
    operation.responses[success].content = { 'application/json': { schema: ref(route.reply.name) } };
    replies.add(route.reply);
  } else if (success !== '204') throw new Error(`${where}: HTTP_API says 204 No Content, the route answers ${success}`);
  const body = (operation.requestBody as { content?: Record<string, { schema?: Schema }> } | undefined)?.content?.['application/json']?.schema?.$ref;
  if (route.body && !operation.requestBody) throw new Error(`${where}: HTTP_API says it takes a ${route.body.name}, the route reads no body`);
  if (body && body !== ref(route.body?.name ?? '(none)').$ref)
    throw new Error(`${where}: HTTP_API says it takes ${route.body?.name ?? 'no body'}, the route validates ${body}`);
  const query = (operation.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
  const expected = route.query ? Object.keys(classSchemas().get(route.query.name)?.schema.properties ?? {}) : [];
  if ([...query].sort().join() !== [...expected].sort().join())
    throw new Error(`${where}: HTTP_API says its query is ${expected.join(', ') || 'none'}, the route reads ${query.join(', ') || 'none'}`);
}

/** What a path parameter names: the thing of the path's collection (`/admin/<things>/…`, `/tokens`, `/proxy`). */
function pathParameter(path: string, name: string): string {
  if (name === 'familyId') return "The grant's id";
  if (name === 'streamId') return "The Shared Signals stream's id (its stream_id)";
  if (name === 'messageId') return "The message's id (its webhook-id header)";
  const thing = {
    integrations: 'integration',
    instances: 'platform instance',
    providers: 'provider',
    catalog: 'catalog template',
    tokens: 'outbound token',
    users: 'administrator',
    webhooks: 'webhook endpoint',
    proxy: 'outbound token',
  }[path.split('/').filter(Boolean)[path.startsWith('/admin/') ? 1 : path.startsWith('/proxy/instances/') ? 1 : 0]];
  if (!thing) throw new Error(`${path}: say in pathParameter what its {${name}} names`);
  return name === 'id' ? `The ${thing}'s id` : `The ${thing}'s name`;
}

function tidyOperation(path: string, operation: Operation): void {
  const queryClass = operation[QUERY_CLASS];
  if (typeof queryClass === 'string') {
    const target = classSchemas().get(queryClass)?.target;
    if (!target) throw new Error(`${path}: no class ${queryClass} for its query parameters`);
    operation.parameters = [...(operation.parameters ?? []).filter((p) => p.in !== 'query'), ...queryParameters(target)];
    delete operation[QUERY_CLASS];
  }
  for (const parameter of operation.parameters ?? []) {
    // Ids that are not UUIDs are answered 404 like any unknown id (http/ids.ts), so the document says what they are.
    if (parameter.in === 'path' && (parameter.name === 'id' || parameter.name === 'familyId')) parameter.schema = { type: 'string', format: 'uuid' };
    if (parameter.in === 'path' && !parameter.description) parameter.description = pathParameter(path, String(parameter.name));
  }
  if (path.endsWith('/{path}') && path.startsWith('/proxy') && !operation.parameters?.some((p) => p.name === 'path')) {
    operation.parameters = [
      ...(operation.parameters ?? []),
      {
        name: 'path',
        in: 'path',
        required: true,
        schema: { type: 'string' },
        description: "Forwarded under the token's baseUrl (it may not leave it); the query string is forwarded too",
      },
    ];
  }
  for (const response of Object.values(operation.responses)) {
    if (!response.description) response.description = 'OK';
  }
  const tag = TAGS.find(([pattern]) => pattern.test(path));
  operation.tags = tag ? [tag[1]] : [];
  addCommonErrors(path, operation);
}

/**
 * The OpenAPI 3.1 document of every gateway route: paths, parameters and request bodies from the controllers and the
 * class-validator DTOs they validate with; responses, security and errors from the decorators and the rules above.
 * The same for every deployment (relative server URL), so the copy in docs/openapi.json is the served one.
 */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  describeValidatedClasses();
  const config = new DocumentBuilder()
    .setOpenAPIVersion('3.1.0')
    .setTitle('Tessera gateway')
    .setDescription(DESCRIPTION)
    .setVersion(VERSION)
    .setLicense('Apache-2.0', 'https://www.apache.org/licenses/LICENSE-2.0')
    .addServer('/', 'This gateway')
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'An access token from POST /admin/login or POST /oauth/token' },
      'bearer',
    )
    .addBasicAuth(
      { type: 'http', scheme: 'basic', description: 'client_secret_basic: the application id and app secret, each form-urlencoded (RFC 6749 §2.3.1)' },
      'clientSecretBasic',
    )
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    operationIdFactory: (controller, method) => `${controller.replace(/Controller$/, '').replace(/^./, (c) => c.toLowerCase())}_${method}`,
  });
  const paths = { ...document.paths, ...fileRoutes() } as Record<string, Record<string, Operation>>;
  const replies = new Set<Class>([RestError, OAuthError]);
  const seen = new Set<string>();
  for (const [path, item] of Object.entries(paths)) {
    // Nest's @All leaves TRACE out of the document though Fastify routes it.
    if (path.startsWith('/proxy/') && item.get && !item.trace)
      item.trace = { ...item.get, operationId: String(item.get.operationId).replace(/_get$/, '_trace') };
    for (const method of Object.keys(item)) {
      if (!METHODS.includes(method)) delete item[method];
      else {
        tidyOperation(path, item[method]);
        answerFromRoute(path, method, item[method], replies, seen);
      }
    }
  }
  const unrouted = Object.entries(HTTP_API)
    .flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method} ${path}`))
    .filter((r) => !seen.has(r));
  if (unrouted.length) throw new Error(`HTTP_API (libs/contracts) names routes the gateway lacks: ${unrouted.join(', ')}`);
  const sorted = Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a.localeCompare(b)));
  const schemas = { ...(document.components?.schemas as Record<string, Schema>), ...answerSchemas(replies) };
  for (const [name, schema] of Object.entries(schemas)) {
    // Request classes reach the document through swagger, which does not know their description.
    const description = classSchemas().get(name)?.schema.description;
    if (description && !schema.description) schemas[name] = { description, ...schema };
  }
  return {
    ...document,
    tags: TAGS.map(([, name, description]) => ({ name, description })),
    paths: sorted as OpenAPIObject['paths'],
    components: { ...document.components, schemas: Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => a.localeCompare(b))) as never },
  };
}
