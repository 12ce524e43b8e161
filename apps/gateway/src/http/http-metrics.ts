import { FAST_BUCKETS, type CounterChild, type HistogramChild, type Metrics } from '@tessera/observability';
import type { FastifyInstance, FastifyReply, FastifyRequest, onResponseHookHandler } from 'fastify';

const STATUS_CLASSES = ['1xx', '2xx', '3xx', '4xx', '5xx'];
type RouteChildren = { statuses: CounterChild[]; latency: HistogramChild };

/**
 * Every gateway response by route pattern (`/admin/integrations/:id`, never the URL itself: bounded), method and
 * status class, and its latency: what a 5xx alert reads. Each route gets a response hook of its own, bound to its
 * pattern when it is registered, so a request costs a lookup by method and no allocation; requests that matched no
 * route share the `unmatched` label. Call before the routes are registered (before `listen`).
 */
export function registerHttpMetrics(fastify: FastifyInstance, metrics: Metrics): void {
  if (!metrics.enabled) return;
  const responses = metrics.counter({
    name: 'tessera_http_responses_total',
    help: 'Gateway responses by route pattern, method and status class',
    labelNames: ['route', 'method', 'status'],
  });
  const latency = metrics.histogram({
    name: 'tessera_http_request_duration_seconds',
    help: 'Gateway request latency by route pattern and method',
    labelNames: ['route', 'method'],
    buckets: FAST_BUCKETS,
  });
  const recorder = (route: string) => {
    const byMethod = new Map<string, RouteChildren>();
    return (request: FastifyRequest, reply: FastifyReply) => {
      let children = byMethod.get(request.method);
      if (!children) {
        children = {
          statuses: STATUS_CLASSES.map((status) => responses.labels(route, request.method, status)),
          latency: latency.labels(route, request.method),
        };
        byMethod.set(request.method, children);
      }
      children.statuses[Math.min(4, Math.max(0, Math.floor(reply.statusCode / 100) - 1))].inc();
      children.latency.observe(reply.elapsedTime / 1000);
    };
  };
  fastify.addHook('onRoute', (route) => {
    const record = recorder(route.url);
    const hook: onResponseHookHandler = (request, reply, done) => {
      record(request, reply);
      done();
    };
    route.onResponse = [...[route.onResponse ?? []].flat(), hook];
  });
  const unmatched = recorder('unmatched');
  fastify.addHook('onResponse', (request, reply, done) => {
    if (request.is404) unmatched(request, reply);
    done();
  });
}
