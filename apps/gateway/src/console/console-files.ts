import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The admin console is a static single-page app: scripts only from our own origin and no inline code, so an injected
 * string can never run; no framing (clickjacking); API calls only to this origin. The console keeps the admin token in
 * memory and sends it as a Bearer header, so no cookie is ever sent on its own: nothing for CSRF to ride on.
 */
const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS = {
  'content-security-policy': CONSOLE_CSP,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
};

/** Where `vite build` writes the console: apps/console/dist, found from this file in src/ (tests) or dist/ (runtime). */
const DEFAULT_CONSOLE_DIR = fileURLToPath(new URL('../../../console/dist/', import.meta.url));

/** A request for a file (an asset or anything with an extension) is served as is; any other path is a page of the app. */
export function isAssetPath(path: string): boolean {
  return /^assets\//.test(path) || /\.[a-z0-9]{1,8}$/i.test(path);
}

/** Serves the built console at /console, falling back to index.html for the app's own routes. */
export async function serveConsole(app: NestFastifyApplication, root = DEFAULT_CONSOLE_DIR): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance();
  const built = existsSync(`${root}/index.html`);
  if (built) await app.register(fastifyStatic, { root, serve: false });
  // Someone opening the gateway's address in a browser wants the console.
  fastify.get('/', (_request, reply) => reply.redirect('/console/', 302));
  fastify.get('/console', (_request, reply) => reply.redirect('/console/', 302));
  fastify.get('/console/*', (request, reply) => {
    void reply.headers(SECURITY_HEADERS);
    if (!built) {
      return reply.code(404).type('text/plain; charset=utf-8').send('The console is not built: run `npm run build` (or `npm start`), then reload.');
    }
    const path = (request.params as { '*': string })['*'] ?? '';
    if (isAssetPath(path)) {
      // Vite names assets by content hash, so they never change under the same name.
      return reply.sendFile(path, { immutable: path.startsWith('assets/'), maxAge: path.startsWith('assets/') ? 31_536_000_000 : 0 });
    }
    void reply.header('cache-control', 'no-cache');
    return reply.sendFile('index.html', { cacheControl: false });
  });
}
