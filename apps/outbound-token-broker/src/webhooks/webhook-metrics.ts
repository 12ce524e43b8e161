import { Inject, Injectable } from '@nestjs/common';
import { SLOW_BUCKETS, type CounterFamily, type HistogramFamily, type Metrics } from '@tessera/observability';
import { METRICS } from '@tessera/runtime';

/**
 * Webhook delivery, for Prometheus: attempts by endpoint (admins create endpoints: a bounded set) and outcome, and
 * the lag from an event's intake to its delivery.
 */
@Injectable()
export class WebhookMetrics {
  private readonly attempts: CounterFamily<'endpoint' | 'outcome'>;
  private readonly lag: HistogramFamily<never>;

  constructor(@Inject(METRICS) metrics: Metrics) {
    this.attempts = metrics.counter({
      name: 'tessera_webhook_attempts_total',
      help: 'Webhook delivery attempts, by endpoint id and outcome (delivered or failed)',
      labelNames: ['endpoint', 'outcome'],
    });
    this.lag = metrics.histogram({
      name: 'tessera_webhook_delivery_lag_seconds',
      help: 'From taking an event for an endpoint to its delivery (retries included)',
      labelNames: [],
      buckets: SLOW_BUCKETS,
    });
  }

  attempted(endpointId: string, outcome: 'delivered' | 'failed'): void {
    this.attempts.labels(endpointId, outcome).inc();
  }

  delivered(lagSeconds: number): void {
    this.lag.labels().observe(lagSeconds);
  }
}
