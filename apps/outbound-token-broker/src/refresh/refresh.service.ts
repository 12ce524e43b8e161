import { Inject, Injectable } from '@nestjs/common';
import type { BrokerSettings } from '@tessera/config';
import { BusError } from '@tessera/contracts';
import { tokenHash } from '@tessera/crypto';
import type { Logger, Clock } from '@tessera/observability';
import { EventOutbox } from '@tessera/persistence';
import type { Egress } from '@tessera/egress';
import { BROKER_SETTINGS, BUS_TIMEOUT_MS, CLOCK, EGRESS, LOGGER } from '@tessera/runtime';
import type { Provider } from '../providers/provider.entity.js';
import { ProvidersService } from '../providers/providers.service.js';
import { BrokerSecrets } from '../secrets/broker-secrets.js';
import type { OutboundToken } from '../outbound-token/outbound-token.entity.js';
import { openAccessToken } from '../outbound-token/token-credentials.js';
import { isFresh } from '../outbound-token/token-state.js';
import { attemptRefresh, type RefreshOutcome } from './refresh-attempt.js';
import { RefreshMetrics } from './refresh-metrics.js';
import { RefreshWriter } from './refresh-writer.js';
import { inBackoff } from '../outbound-token/schedule.js';
import { OutboundTokenStore } from '../outbound-token/outbound-token.store.js';

/** Why a refresh is asked for; each decides, on the row as it is when claimed, whether it is still needed. */
export type RefreshTrigger = { kind: 'admin' } | { kind: 'on_demand' } | { kind: 'rejected'; tokenHash: string } | { kind: 'scheduled' };

export interface RefreshResult {
  outcome: RefreshOutcome;
  token: OutboundToken;
  /** The provider's words when it failed. */
  error?: string;
  /** backing_off / busy: when asking again can help. */
  retryAfterSeconds?: number;
}

/** How often a caller waiting for another holder's refresh looks at the row again. */
const WAIT_POLL_MS = 100;

/**
 * Refreshes (or first fetches) outbound tokens, one at a time per token across replicas through a lease on the
 * token's row (docs/decisions/0017): claimed in one committed statement, the provider called with no database
 * connection held, the answer stored (which ends the lease) before anything else is done with it. Callers in this
 * process share one attempt; callers in other replicas wait for the lease and share its result; while a transient
 * failure's retry is not due, callers get the token's state and a Retry-After instead of calling the provider again.
 */
@Injectable()
export class RefreshService {
  private readonly inFlight = new Map<string, Promise<RefreshResult>>();
  readonly writer: RefreshWriter;
  /** The platform's ceiling on one provider call. */
  readonly timeoutCeilingMs: number;
  private readonly waitBudgetMs: number;

  constructor(
    private readonly store: OutboundTokenStore,
    private readonly providers: ProvidersService,
    private readonly secrets: BrokerSecrets,
    outbox: EventOutbox,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(BROKER_SETTINGS) broker: BrokerSettings,
    @Inject(BUS_TIMEOUT_MS) busTimeoutMs: number,
    @Inject(EGRESS) private readonly egress: Egress,
    private readonly metrics: RefreshMetrics,
  ) {
    this.writer = new RefreshWriter(store, outbox, logger);
    this.timeoutCeilingMs = broker.providerTimeoutMs;
    // A caller waiting behind another replica's refresh gives up before its own request times out, to answer with a
    // Retry-After rather than not at all.
    this.waitBudgetMs = Math.max(200, busTimeoutMs - 500);
  }

  refresh(tokenId: string, trigger: Exclude<RefreshTrigger, { kind: 'scheduled' }>): Promise<RefreshResult> {
    // An admin's refresh is not shared: it is a request to refresh now. Callers who just need a token are.
    if (trigger.kind === 'admin') return this.refreshOne(tokenId, trigger);
    const key = `${tokenId}:${trigger.kind === 'rejected' ? trigger.tokenHash : ''}`;
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = this.refreshOne(tokenId, trigger).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    return pending;
  }

  private stillNeeded(token: OutboundToken, trigger: RefreshTrigger, now: Date): boolean {
    switch (trigger.kind) {
      case 'admin':
        return true;
      case 'on_demand':
        return !isFresh(token.accessTokenSealed !== null, token.expiresAt, now);
      case 'rejected': {
        const current = openAccessToken(this.secrets, token);
        return !current || tokenHash(current) === trigger.tokenHash;
      }
      case 'scheduled':
        // Claimed because due; a refresh by someone else since then rescheduled it.
        return token.nextRefreshAt !== null && token.nextRefreshAt <= now;
    }
  }

  /** Whether the token may be refreshed without a human: not while inactive, revoked or failed (except by an admin). */
  private refusal(token: OutboundToken, trigger: RefreshTrigger): string | undefined {
    if (!token.active) return 'token is inactive';
    if (trigger.kind === 'admin') return undefined;
    if (token.state === 'revoked') return 'token is revoked';
    if (token.state === 'refresh_failed') return token.lastMessage ?? 'refresh failed';
    return undefined;
  }

  /** What to do with the token as it is: an outcome that needs no provider call, or undefined to call the provider. */
  private decide(token: OutboundToken, trigger: RefreshTrigger): RefreshResult | undefined {
    const now = this.clock.now();
    if (!this.stillNeeded(token, trigger, now)) return { outcome: 'not_needed', token };
    const refused = this.refusal(token, trigger);
    if (refused) return { outcome: 'not_possible', token, error: refused };
    // Callers share the token's backoff: the provider is asked again when the retry is due, not once per caller.
    if (trigger.kind !== 'admin' && trigger.kind !== 'scheduled' && inBackoff(token, now)) {
      return {
        outcome: 'backing_off',
        token,
        error: token.lastTransientError ?? undefined,
        retryAfterSeconds: Math.max(1, Math.ceil((token.nextRefreshAt!.getTime() - now.getTime()) / 1000)),
      };
    }
    return undefined;
  }

  private async load(tokenId: string): Promise<{ token: OutboundToken; provider: Provider }> {
    const [loaded] = await this.store.loadWithProviders([tokenId]);
    if (!loaded) throw BusError.notFound('Token', tokenId);
    return loaded;
  }

  private async refreshOne(tokenId: string, trigger: RefreshTrigger): Promise<RefreshResult> {
    const deadline = Date.now() + this.waitBudgetMs;
    for (;;) {
      const { token } = await this.load(tokenId);
      const decided = this.decide(token, trigger);
      if (decided) return decided;
      const leaseId = this.clock.uuid();
      if (await this.store.claim(tokenId, leaseId, this.timeoutCeilingMs)) {
        // The row as it is under our claim: a refresh that finished just before we claimed may have made ours moot.
        const claimed = await this.load(tokenId);
        const now = this.decide(claimed.token, trigger);
        if (now) {
          await this.store.releaseLeases([tokenId], leaseId);
          return now;
        }
        return this.attempt(claimed.token, claimed.provider, leaseId);
      }
      // Another replica (or the scheduler) holds the token: wait for its result rather than call the provider too.
      if (Date.now() + WAIT_POLL_MS > deadline) return { outcome: 'busy', token, retryAfterSeconds: 1 };
      await new Promise((resolve) => setTimeout(resolve, WAIT_POLL_MS));
    }
  }

  /**
   * Calls the provider for a token claimed under `leaseId` and stores the answer; the lease ends with the write.
   * `called` runs as soon as the provider has answered (or failed): the scheduler's slot bounds provider calls.
   */
  async attempt(token: OutboundToken, provider: Provider, leaseId: string, called?: () => void): Promise<RefreshResult> {
    let attempt;
    const started = performance.now();
    try {
      attempt = await attemptRefresh(
        token,
        provider,
        this.providers.credential(provider),
        this.secrets,
        () => this.clock.now(),
        this.egress,
        this.timeoutCeilingMs,
      );
      this.metrics.attempted(provider, attempt, started);
    } catch (error) {
      this.metrics.attempted(provider, 'error', started);
      called?.();
      await this.store.releaseLeases([token.id], leaseId).catch(() => undefined);
      throw error;
    }
    called?.();
    if (attempt.outcome === 'not_possible') {
      await this.store.releaseLeases([token.id], leaseId);
      return attempt;
    }
    const stored = await this.writer.store({ attempt, leaseId });
    if (!stored) {
      // Only a holder that outlived its lease gets here; its successor's result stands.
      this.logger.warn({ tokenId: token.id, outcome: attempt.outcome }, 'refresh result not stored: the lease had run out and another holder took the token');
      const { token: current } = await this.load(token.id);
      return { outcome: 'busy', token: current, retryAfterSeconds: 1 };
    }
    return attempt;
  }
}
