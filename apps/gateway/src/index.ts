import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { acceptClientRequestId, PinoNestLogger, runWithRequestContext } from '@tessera/observability';
import { metricsOf, type ServiceRuntime } from '@tessera/runtime';
import { randomUUID } from 'node:crypto';
import { gatewayModule } from './app.module.js';
import type { RequestWithVerifier } from './auth/bearer.strategy.js';
import { GatewayTokenVerifier } from './auth/token-verifier.provider.js';
import { serveConsole } from './console/console-files.js';
import { registerBodyParsers } from './http/body-parsers.js';
import { registerHttpMetrics } from './http/http-metrics.js';
import { BoundedNumbersPipe } from './http/bounded-numbers.pipe.js';
import { RestErrorFilter } from './http/rest-error.filter.js';
import { clientAddress, trustProxySetting } from './http/client-address.js';
import { registerRequestTracing, requestTraceFields } from './http/request-tracing.js';
import { registerSecurityHeaders } from './http/security-headers.js';
import { restValidationPipe } from './http/validation.pipe.js';
import { serveApiReference } from './openapi/reference.js';

export const SERVICE_NAME = 'gateway';
const BODY_LIMIT = 256 * 1024;

export interface RunningGateway {
  app: NestFastifyApplication;
  url: string;
  /** Every route registered (method and URL pattern), for tests that walk them. */
  routes: { method: string; url: string }[];
  stop(): Promise<void>;
}

/** The only HTTP edge: OAuth endpoints, the /admin REST API, the admin console's files, the API reference and health. Services are reached over the bus. */
export async function startGateway(runtime: ServiceRuntime, options: { port?: number; host?: string } = {}): Promise<RunningGateway> {
  const logger = runtime.logger.child({ service: SERVICE_NAME });
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT,
    // X-Forwarded-For is believed only from TESSERA_TRUSTED_PROXIES (request.ip: http/client-address.ts).
    trustProxy: trustProxySetting(runtime.config.trustedProxies),
    // The platform's own id for every request: a caller's X-Request-Id is kept apart (clientRequestId), so an audit
    // line's request id is always one the platform made and cannot be chosen to match or confuse another's.
    genReqId: () => randomUUID(),
    requestTimeout: 30_000,
    return503OnClosing: true,
  });
  const app = await NestFactory.create<NestFastifyApplication>(gatewayModule({ ...runtime, logger }), adapter, {
    logger: new PinoNestLogger(logger),
    // The proxy forwards request bodies byte for byte, so it needs them as they arrived, not as parsed JSON.
    rawBody: true,
  });
  const fastify = app.getHttpAdapter().getInstance();
  const routes: RunningGateway['routes'] = [];
  fastify.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routes.push({ method, url: route.url });
  });
  const verifier = app.get(GatewayTokenVerifier);
  registerBodyParsers(app, BODY_LIMIT);
  registerSecurityHeaders(fastify);
  registerHttpMetrics(fastify, metricsOf(runtime));
  // Other types reach the proxy as raw bytes.
  fastify.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  registerRequestTracing(fastify);
  // Every request runs in a context holding its id, so logs and bus messages carry it to the services.
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    (request as RequestWithVerifier).tokenVerifier = verifier;
    (request as RequestWithVerifier).publicUrl = runtime.config.issuer.replace(/\/$/, '');
    const clientRequestId = acceptClientRequestId(request.headers['x-request-id']);
    runWithRequestContext({ requestId: String(request.id), address: clientAddress(request), ...(clientRequestId ? { clientRequestId } : {}) }, done);
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    logger.info(
      {
        requestId: request.id,
        ...(request.headers['x-request-id'] ? { clientRequestId: acceptClientRequestId(request.headers['x-request-id']) ?? 'invalid' } : {}),
        method: request.method,
        url: request.url.split('?')[0],
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
        ...requestTraceFields(request),
      },
      'request',
    );
    done();
  });
  await serveConsole(app);
  serveApiReference(app);
  app.useGlobalPipes(restValidationPipe, new BoundedNumbersPipe());
  app.useGlobalFilters(new RestErrorFilter(logger));
  await app.listen(options.port ?? runtime.config.port, options.host ?? '0.0.0.0');
  const address = fastify.server.address();
  const port = typeof address === 'object' && address ? address.port : runtime.config.port;
  return {
    app,
    url: `http://127.0.0.1:${port}`,
    routes,
    stop: () => app.close(),
  };
}
