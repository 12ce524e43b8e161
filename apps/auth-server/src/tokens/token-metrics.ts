import { Inject, Injectable } from '@nestjs/common';
import { INTEGRATION_GRANT_TYPES, type TokenRevokedEvent } from '@tessera/contracts';
import type { CounterChild, CounterFamily, Metrics } from '@tessera/observability';
import { METRICS } from '@tessera/runtime';

/** What a revocation covers: one access token, a grant (refresh-token family), or everything a client holds. */
export type RevocationScope = 'token' | 'family' | 'client';

/**
 * What auth-server counts: tokens issued by grant type (per client id only with TESSERA_METRICS_CLIENT_LABELS) and
 * revocations by reason and scope. Reasons come from the contracts' closed list, so the labels stay bounded.
 */
@Injectable()
export class TokenMetrics {
  private readonly issuedByGrant = new Map<string, CounterChild>();
  private readonly issuedTotal: CounterFamily<'grant_type'>;
  private readonly issuedByClient?: CounterFamily<'grant_type' | 'client_id'>;
  private readonly revocations: CounterFamily<'reason' | 'scope'>;

  constructor(@Inject(METRICS) metrics: Metrics) {
    this.issuedTotal = metrics.counter({ name: 'tessera_tokens_issued_total', help: 'Access tokens issued, by grant type', labelNames: ['grant_type'] });
    for (const grant of INTEGRATION_GRANT_TYPES) this.issuedByGrant.set(grant, this.issuedTotal.labels(grant));
    if (metrics.clientLabels)
      this.issuedByClient = metrics.counter({
        name: 'tessera_tokens_issued_by_client_total',
        help: 'Access tokens issued, by grant type and client id (TESSERA_METRICS_CLIENT_LABELS)',
        labelNames: ['grant_type', 'client_id'],
      });
    this.revocations = metrics.counter({
      name: 'tessera_token_revocations_total',
      help: 'Revocations recorded, by reason and what they cover (token, family or client)',
      labelNames: ['reason', 'scope'],
    });
  }

  issued(grantType: string, clientId: string): void {
    this.issuedByGrant.get(grantType)?.inc();
    this.issuedByClient?.labels(grantType, clientId).inc();
  }

  /** Counted when the revocation is recorded in its transaction (a transaction that then fails is rare: an outage). */
  revoked(reason: TokenRevokedEvent['reason'], scope: RevocationScope): void {
    this.revocations.labels(String(reason ?? 'unspecified'), scope).inc();
  }
}
