import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { OpenAPIObject } from '@nestjs/swagger';
import { loadConfig } from '@tessera/config';
import { InProcessBus } from '@tessera/messaging';
import { createLogger, systemClock } from '@tessera/observability';
import { gatewayModule } from '../app.module.js';
import { buildOpenApiDocument } from './document.js';

/** The committed copy of the document, for people who read it without running the platform (`npm run openapi`). */
export const DOCUMENT_FILE = new URL('../../../../docs/openapi.json', import.meta.url);

/**
 * The document without a platform: the gateway's module over an unconnected in-process bus, never initialised or
 * listening (no service is asked anything), so its routes can be read.
 */
export async function offlineDocument(): Promise<OpenAPIObject> {
  const logger = createLogger({ level: 'silent' });
  const runtime = { config: loadConfig({ LOG_LEVEL: 'silent' }), bus: new InProcessBus(logger), logger, clock: systemClock, encryptionKey: Buffer.alloc(32) };
  const app = await NestFactory.create(gatewayModule(runtime), new FastifyAdapter(), { logger: false });
  try {
    return buildOpenApiDocument(app);
  } finally {
    await app.close();
  }
}

/** The file's text: stable key order (the builder sorts paths and schemas), two-space indent, final newline. */
export function documentText(document: OpenAPIObject): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}
