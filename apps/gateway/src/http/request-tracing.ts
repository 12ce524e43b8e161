import { extractTraceContext, SpanKind, SpanStatusCode, startSpan, traceLogFields, tracingActive, withSpan, type Span } from '@tessera/observability';
import type { FastifyInstance, FastifyRequest } from 'fastify';

const spans = new WeakMap<FastifyRequest, Span>();
const ended = new WeakSet<FastifyRequest>();

/**
 * A server span per HTTP request, continuing the caller's W3C `traceparent` when it sends a valid one (a new trace
 * otherwise). The rest of the request runs inside it, so its bus requests, logs and outbound calls join the trace.
 * Registered before the request-id hook; nothing at all when tracing is off.
 */
export function registerRequestTracing(fastify: FastifyInstance): void {
  if (!tracingActive()) return;
  fastify.addHook('onRequest', (request, _reply, done) => {
    const parent = extractTraceContext(request.headers);
    const route = request.routeOptions.url;
    const span = startSpan(
      route ? `${request.method} ${route}` : request.method,
      SpanKind.SERVER,
      {
        'http.request.method': request.method,
        'url.path': request.url.split('?')[0],
        'url.scheme': request.protocol,
        ...(route ? { 'http.route': route } : {}),
        'client.address': request.ip,
        'tessera.service': 'gateway',
      },
      parent,
    );
    spans.set(request, span);
    withSpan(span, done, parent);
  });
  const end = (request: FastifyRequest, status?: number) => {
    const span = spans.get(request);
    if (!span || ended.has(request)) return;
    // Kept in `spans` for the access-log line, which is written after this.
    ended.add(request);
    if (status === undefined) span.setStatus({ code: SpanStatusCode.ERROR, message: 'the client went away' });
    else {
      span.setAttribute('http.response.status_code', status);
      // Server spans: a 4xx is the caller's mistake, not a failure of ours.
      if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    }
    span.end();
  };
  fastify.addHook('onResponse', (request, reply, done) => {
    end(request, reply.statusCode);
    done();
  });
  fastify.addHook('onRequestAbort', (request, done) => {
    end(request);
    done();
  });
}

/** `trace_id`/`span_id` of a request's span for its access-log line (written outside the request's context). */
export function requestTraceFields(request: FastifyRequest): { trace_id?: string; span_id?: string } {
  const span = spans.get(request);
  return span ? traceLogFields(span) : {};
}
