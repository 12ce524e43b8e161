import { BadRequestException } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { bracketDepth, MAX_BODY_DEPTH, nestsTooDeep } from '@tessera/contracts';

function tooDeep(): BadRequestException {
  return new BadRequestException({ error: 'validation_failed', message: `The body nests deeper than ${MAX_BODY_DEPTH} levels` });
}

/**
 * Gateway-wide body rules: JSON and YAML bodies nesting deeper than MAX_BODY_DEPTH are a 400 before they are parsed
 * (a 100k-deep array once overflowed the stack in validation: a 500). Registered through Nest so raw bodies are kept.
 */
export function registerBodyParsers(app: NestFastifyApplication, bodyLimit: number): void {
  const fastify = app.getHttpAdapter().getInstance();
  const json = fastify.getDefaultJsonParser('error', 'error');
  app.useBodyParser('application/json', { bodyLimit }, (request, body, done) => {
    const text = body.toString('utf8');
    // Many HTTP clients send `Content-Type: application/json` with no body on action POSTs (…/refresh, …/revoke):
    // that is no body, not malformed JSON. A route that needs a body still answers 400 naming the missing fields.
    if (text.trim() === '') return done(null, undefined);
    if (bracketDepth(text) > MAX_BODY_DEPTH) return done(tooDeep(), undefined);
    json(request as never, text, done);
  });
  // OpenAPI documents arrive as YAML too (POST /admin/providers/import): passed on as text, depth-checked here.
  fastify.addContentTypeParser(['application/yaml', 'application/x-yaml', 'text/yaml'], { parseAs: 'string' }, (_request, body, done) => {
    const text = String(body);
    if (nestsTooDeep(text)) return done(tooDeep(), undefined);
    done(null, text);
  });
}
