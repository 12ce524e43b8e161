import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { SLOW_BUCKETS, type CounterFamily, type HistogramFamily, type Metrics, type Clock } from '@tessera/observability';
import { CLOCK, METRICS } from '@tessera/runtime';
import { OutboundTokenStore } from '../outbound-token/outbound-token.store.js';
import type { Provider } from '../providers/provider.entity.js';
import type { AttemptResult } from './refresh-attempt.js';

/**
 * The broker's metrics: every provider call a refresh makes, by provider (admins create providers: a bounded set,
 * never tokens), outcome and failure class, with its latency; and, read at scrape time, the tokens by state and the
 * seconds until the soonest active token expires.
 */
@Injectable()
export class RefreshMetrics implements OnModuleDestroy {
  private readonly attempts: CounterFamily<'provider' | 'outcome' | 'failure_class'>;
  private readonly latency: HistogramFamily<'provider'>;
  private readonly unmeasure: (() => void)[];

  constructor(@Inject(METRICS) metrics: Metrics, tokens: OutboundTokenStore, @Inject(CLOCK) clock: Clock) {
    this.attempts = metrics.counter({
      name: 'tessera_broker_refresh_attempts_total',
      help: 'Provider calls made to refresh (or first fetch) an outbound token, by provider, outcome and failure class',
      labelNames: ['provider', 'outcome', 'failure_class'],
    });
    this.latency = metrics.histogram({
      name: 'tessera_broker_refresh_duration_seconds',
      help: 'Provider token-endpoint latency during refreshes, by provider',
      labelNames: ['provider'],
      buckets: SLOW_BUCKETS,
    });
    this.unmeasure = [
      metrics.sampledGauge({ name: 'tessera_broker_tokens', help: 'Outbound tokens by state', labelNames: ['state'] }, async (sample) => {
        for (const row of await tokens.countByState()) sample({ state: row.state }, row.count);
      }),
      metrics.sampledGauge(
        {
          name: 'tessera_broker_soonest_expiry_seconds',
          help: 'Seconds until the soonest active outbound token with an expiry expires (negative: already expired; absent: none)',
        },
        async (sample) => {
          const soonest = await tokens.soonestExpiry();
          if (soonest) sample({}, (soonest.getTime() - clock.now().getTime()) / 1000);
        },
      ),
    ];
  }

  /** One provider call: `startMs` from `performance.now()`; a thrown error (not the provider's answer) is `error`. */
  attempted(provider: Provider, result: Pick<AttemptResult, 'outcome' | 'failureClass'> | 'error', startMs: number): void {
    const outcome = result === 'error' ? 'error' : result.outcome;
    const failureClass = result === 'error' ? 'internal' : (result.failureClass ?? 'none');
    this.attempts.labels(provider.name, outcome, failureClass).inc();
    this.latency.labels(provider.name).observe((performance.now() - startMs) / 1000);
  }

  onModuleDestroy(): void {
    for (const remove of this.unmeasure) remove();
  }
}
