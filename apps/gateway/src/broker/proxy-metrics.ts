import { Inject, Injectable } from '@nestjs/common';
import { EgressRefusedError, EgressTimeoutError, ResponseTooLargeError } from '@tessera/egress';
import { SLOW_BUCKETS, type CounterChild, type HistogramChild, type Metrics } from '@tessera/observability';
import { METRICS } from '@tessera/runtime';

/** The upstream's status class, or why there was none. Bounded: never the token's name or the URL. */
const RESULTS = ['1xx', '2xx', '3xx', '4xx', '5xx', 'refused', 'timeout', 'too_large', 'unreachable'] as const;
type ProxyResult = (typeof RESULTS)[number];

/** Proxied calls (`/proxy/…`) by what the upstream answered, and the upstream's latency to its response headers. */
@Injectable()
export class ProxyMetrics {
  private readonly requests: Record<ProxyResult, CounterChild>;
  private readonly latency: Record<ProxyResult, HistogramChild>;

  constructor(@Inject(METRICS) metrics: Metrics) {
    const requests = metrics.counter({
      name: 'tessera_proxy_requests_total',
      help: 'Proxied calls by upstream status class (or refused, timeout, too_large, unreachable)',
      labelNames: ['upstream_status'],
    });
    const latency = metrics.histogram({
      name: 'tessera_proxy_upstream_duration_seconds',
      help: 'Upstream API latency to its response headers (including a refresh-and-retry after a 401)',
      labelNames: ['upstream_status'],
      buckets: SLOW_BUCKETS,
    });
    this.requests = Object.fromEntries(RESULTS.map((result) => [result, requests.labels(result)])) as Record<ProxyResult, CounterChild>;
    this.latency = Object.fromEntries(RESULTS.map((result) => [result, latency.labels(result)])) as Record<ProxyResult, HistogramChild>;
  }

  answered(status: number, startMs: number): void {
    this.record(RESULTS[Math.min(4, Math.max(0, Math.floor(status / 100) - 1))], startMs);
  }

  /** The call failed before any answer (the egress cause). */
  failed(error: unknown, startMs: number): void {
    this.record(
      error instanceof EgressRefusedError
        ? 'refused'
        : error instanceof EgressTimeoutError
          ? 'timeout'
          : error instanceof ResponseTooLargeError
            ? 'too_large'
            : 'unreachable',
      startMs,
    );
  }

  private record(result: ProxyResult, startMs: number): void {
    this.requests[result].inc();
    this.latency[result].observe((performance.now() - startMs) / 1000);
  }
}
