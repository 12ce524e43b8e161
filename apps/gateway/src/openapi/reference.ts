import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { OpenAPIObject } from '@nestjs/swagger';
import { createReadStream } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { buildOpenApiDocument } from './document.js';

/**
 * The reference page loads only what the gateway serves: Swagger UI's files from node_modules and the script below,
 * so the page needs no CDN and no inline script. Try-it-out requests go to this origin only.
 */
const DOCS_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const SWAGGER_UI_DIR = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
const SWAGGER_UI_FILES: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

/** Starts Swagger UI on this gateway's own document; no validator badge (it would call a third party). */
const START_SCRIPT = `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#reference', deepLinking: true, validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis], layout: 'BaseLayout', tryItOutEnabled: false });
});
`;

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Tessera API reference</title>
<link rel="stylesheet" href="/docs/swagger-ui.css">
<link rel="icon" type="image/png" href="/docs/favicon-32x32.png">
</head>
<body>
<div id="reference"></div>
<script src="/docs/swagger-ui-bundle.js"></script>
<script src="/docs/start.js"></script>
</body>
</html>
`;

/** `GET /openapi.json` (built on first request: gateways that are never asked pay nothing) and the page at `/docs`. */
export function serveApiReference(app: NestFastifyApplication): void {
  const fastify = app.getHttpAdapter().getInstance();
  let document: OpenAPIObject | undefined;
  fastify.get('/openapi.json', (_request, reply) => {
    document ??= buildOpenApiDocument(app);
    return reply.header('cache-control', 'no-cache').send(document);
  });
  fastify.get('/docs', (_request, reply) =>
    reply.type('text/html; charset=utf-8').header('content-security-policy', DOCS_CSP).header('cache-control', 'no-cache').send(PAGE),
  );
  fastify.get('/docs/*', (request, reply) => {
    const file = (request.params as { '*': string })['*'];
    if (file === '') return reply.redirect('/docs', 301);
    if (file === 'start.js') return reply.type('text/javascript; charset=utf-8').header('cache-control', 'no-cache').send(START_SCRIPT);
    const type = SWAGGER_UI_FILES[file];
    if (!type) return reply.code(404).send({ statusCode: 404, error: 'not_found', message: 'No such file' });
    return reply
      .type(type)
      .header('cache-control', 'public, max-age=3600')
      .send(createReadStream(join(SWAGGER_UI_DIR, file)));
  });
}
