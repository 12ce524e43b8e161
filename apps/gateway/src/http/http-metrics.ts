import { FAST_BUCKETS, type CounterChild, type HistogramChild, type Metrics } from '@tessera/observability';
import type { FastifyInstance } from 'fastify';

const STATUS_CLASSES = ['1xx', '2xx', '3xx', '4xx', '5xx'];

/**
 * Every gateway response by route pattern (`/admin/integrations/:id`, never the URL itself: bounded), method and
 * status class, and its latency: what a 5xx alert reads. Children are bound on a route's first response.
 */
export function registerHttpMetrics(fastify: FastifyInstance, metrics: Metrics): void {
  if (!metrics.enabled) return;
  const responses = metrics.counter({ name: 'tessera_http_responses_total', help: 'Gateway responses by route pattern, method and status class', labelNames: ['route', 'method', 'status'] });
  const latency = metrics.histogram({ name: 'tessera_http_request_duration_seconds', help: 'Gateway request latency by route pattern and method', labelNames: ['route', 'method'], buckets: FAST_BUCKETS });
  const byRoute = new Map<string, { statuses: CounterChild[]; latency: HistogramChild }>();
  fastify.addHook('onResponse', (request, reply, done) => {
    // Requests that matched no route share one label, whatever their URL.
    const route = request.routeOptions.url ?? 'unmatched';
    const key = `${request.method} ${route}`;
    let children = byRoute.get(key);
    if (!children) {
      children = { statuses: STATUS_CLASSES.map((status) => responses.labels(route, request.method, status)), latency: latency.labels(route, request.method) };
      byRoute.set(key, children);
    }
    children.statuses[Math.min(4, Math.max(0, Math.floor(reply.statusCode / 100) - 1))].inc();
    children.latency.observe(reply.elapsedTime / 1000);
    done();
  });
}
