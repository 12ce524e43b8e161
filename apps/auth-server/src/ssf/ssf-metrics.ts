import { Inject, Injectable } from '@nestjs/common';
import { SLOW_BUCKETS, type CounterFamily, type HistogramFamily, type Metrics } from '@tessera/observability';
import { METRICS } from '@tessera/runtime';
import type { SsfPendingSet } from './ssf-stream.entity.js';

export type SsfDeliveryMethod = 'push' | 'poll';

/**
 * The Shared Signals transmitter, for Prometheus: SETs queued (by event type: a bounded set, SSF_EVENTS_SUPPORTED and
 * the stream events), delivered (by method), push attempts that failed, and how long a SET waited from queueing to
 * its delivery — a push the receiver accepted, or a poll acknowledgement (the poll lag).
 */
@Injectable()
export class SsfMetrics {
  private readonly queued: CounterFamily<'event_type'>;
  private readonly delivered: CounterFamily<'method'>;
  private readonly pushFailures: CounterFamily<never>;
  private readonly lag: HistogramFamily<'method'>;

  constructor(@Inject(METRICS) metrics: Metrics) {
    this.queued = metrics.counter({ name: 'tessera_ssf_sets_queued_total', help: 'SETs queued for receivers, by event type', labelNames: ['event_type'] });
    this.delivered = metrics.counter({
      name: 'tessera_ssf_sets_delivered_total',
      help: 'SETs delivered: accepted by a push receiver, or acknowledged by a polling one',
      labelNames: ['method'],
    });
    this.pushFailures = metrics.counter({
      name: 'tessera_ssf_push_failures_total',
      help: 'Push deliveries that failed and will be retried (no answer, or not 2xx)',
      labelNames: [],
    });
    this.lag = metrics.histogram({
      name: 'tessera_ssf_delivery_lag_seconds',
      help: 'From queueing a SET to its delivery (push accepted, or poll acknowledged: the poll lag), by method',
      labelNames: ['method'],
      buckets: SLOW_BUCKETS,
    });
  }

  /** Counted as they are queued, in the queueing transaction (one rolled back, rare, is counted too). */
  setsQueued(sets: readonly SsfPendingSet[]): void {
    for (const set of sets) for (const type of Object.keys((set.claims.events as Record<string, unknown> | undefined) ?? {})) this.queued.labels(type).inc();
  }

  setDelivered(method: SsfDeliveryMethod, queuedAt: Date, now: Date): void {
    this.delivered.labels(method).inc();
    this.lag.labels(method).observe(Math.max(0, now.getTime() - queuedAt.getTime()) / 1000);
  }

  pushFailed(): void {
    this.pushFailures.labels().inc();
  }
}
