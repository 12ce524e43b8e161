import { Inject, Injectable } from '@nestjs/common';
import { INTEGRATION_GRANT_TYPES, OAUTH_ERROR_CODES, type OAuthErrorCode } from '@tessera/contracts';
import { FAST_BUCKETS, type CounterChild, type CounterFamily, type HistogramChild, type Metrics } from '@tessera/observability';
import { METRICS } from '@tessera/runtime';

const GRANT_TYPES: readonly string[] = INTEGRATION_GRANT_TYPES;
/** Success or an OAuth error code (the table in contracts); anything unexpected counts as `other`, so labels stay bounded. */
const OUTCOMES: readonly string[] = ['success', ...OAUTH_ERROR_CODES, 'other'];

/** Outcomes only an authenticated client gets: its id is then a real integration's, not whatever a caller sent. */
const AUTHENTICATED_OUTCOMES = new Set<string>(['success', ...(['invalid_grant', 'invalid_scope', 'unauthorized_client'] satisfies OAuthErrorCode[])]);

/**
 * `POST /oauth/token` by grant type (`other` for missing or unsupported ones) and outcome. The label children are bound
 * once, at start, so a request costs two array lookups and no allocation. With TESSERA_METRICS_CLIENT_LABELS the
 * requests are counted per client id as well (unbounded: one series per integration, so off by default).
 */
@Injectable()
export class TokenEndpointMetrics {
  private readonly requests: CounterChild[][];
  private readonly latency: HistogramChild[];
  private readonly byClient?: CounterFamily<'grant_type' | 'outcome' | 'client_id'>;

  constructor(@Inject(METRICS) metrics: Metrics) {
    const grants = [...GRANT_TYPES, 'other'];
    const requests = metrics.counter({
      name: 'tessera_oauth_token_requests_total',
      help: 'Token endpoint requests by grant type and outcome (success or the RFC 6749 error code)',
      labelNames: ['grant_type', 'outcome'],
    });
    const latency = metrics.histogram({
      name: 'tessera_oauth_token_request_duration_seconds',
      help: 'Token endpoint latency at the gateway, by grant type',
      labelNames: ['grant_type'],
      buckets: FAST_BUCKETS,
    });
    this.requests = grants.map((grant) => OUTCOMES.map((outcome) => requests.labels(grant, outcome)));
    this.latency = grants.map((grant) => latency.labels(grant));
    if (metrics.clientLabels) {
      this.byClient = metrics.counter({
        name: 'tessera_oauth_token_requests_by_client_total',
        help: 'Token endpoint requests by client id (TESSERA_METRICS_CLIENT_LABELS)',
        labelNames: ['grant_type', 'outcome', 'client_id'],
      });
    }
  }

  /** One answered request: `startMs` is its `performance.now()` at arrival. */
  answered(grantType: string | undefined, outcome: string, startMs: number, clientId?: string): void {
    const grant = indexOf(GRANT_TYPES, grantType, GRANT_TYPES.length);
    const result = indexOf(OUTCOMES, outcome, OUTCOMES.length - 1);
    this.requests[grant][result].inc();
    this.latency[grant].observe((performance.now() - startMs) / 1000);
    if (this.byClient && clientId && AUTHENTICATED_OUTCOMES.has(OUTCOMES[result]))
      this.byClient.labels(GRANT_TYPES[grant] ?? 'other', OUTCOMES[result], clientId).inc();
  }
}

function indexOf(values: readonly string[], value: string | undefined, fallback: number): number {
  const index = value === undefined ? -1 : values.indexOf(value);
  return index < 0 ? fallback : index;
}
