import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { EventOutbox, type Clock } from '@tessera/persistence';
import type { Egress } from '@tessera/egress';
import { CLOCK, EGRESS } from '@tessera/runtime';
import { DataSource, type EntityManager } from 'typeorm';
import { ProvidersService } from '../providers/providers.service.js';
import { BrokerSecrets } from '../secrets/broker-secrets.js';
import { OutboundToken } from '../tokens/outbound-token.entity.js';
import { openAccessToken, tokenHash } from '../tokens/token-credentials.js';
import { isFresh } from '../tokens/token-state.js';
import { attemptRefresh, type AttemptResult, type RefreshOutcome } from './refresh-attempt.js';
import { loadWithProviders, persistAttempts } from './token-persistence.js';
import { lockTokens, withTokenLock } from './token-lock.js';

export type { RefreshOutcome } from './refresh-attempt.js';

/** Why a refresh is asked for; each decides, under the lock, whether it is still needed. */
export type RefreshTrigger =
  | { kind: 'admin' }
  | { kind: 'on_demand' }
  | { kind: 'rejected'; tokenHash: string }
  | { kind: 'scheduled'; lease: Date };

export interface RefreshResult {
  outcome: RefreshOutcome;
  token: OutboundToken;
  /** The provider's words when it failed. */
  error?: string;
}

/**
 * Refreshes (or first fetches) outbound tokens: one at a time per token across replicas (advisory lock), callers in
 * this process share one attempt, and the decision whether a refresh is still needed is taken under the lock, so a
 * caller that waited for another's refresh gets that result instead of refreshing again.
 */
@Injectable()
export class RefreshService {
  private readonly inFlight = new Map<string, Promise<RefreshResult>>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly providers: ProvidersService,
    private readonly secrets: BrokerSecrets,
    private readonly outbox: EventOutbox,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(EGRESS) private readonly egress: Egress,
  ) {}

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
        // Our claim still stands only if nobody refreshed (and so rescheduled) the token since we took it.
        return token.nextRefreshAt?.getTime() === trigger.lease.getTime();
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

  private async refreshOne(tokenId: string, trigger: RefreshTrigger): Promise<RefreshResult> {
    const result = await withTokenLock(this.dataSource, tokenId, 'wait', (manager) => this.refreshLocked(manager, tokenId, trigger));
    if (!result.locked) throw new Error('unreachable: a waiting lock always locks');
    void this.outbox.flush();
    return result.value;
  }

  private async refreshLocked(manager: EntityManager, tokenId: string, trigger: RefreshTrigger): Promise<RefreshResult> {
    const [loaded] = await loadWithProviders(manager, [tokenId]);
    if (!loaded) throw new Error(`token ${tokenId} vanished`);
    const { token, provider } = loaded;
    if (!this.stillNeeded(token, trigger, this.clock.now())) return { outcome: 'not_needed', token };
    const refused = this.refusal(token, trigger);
    if (refused) return { outcome: 'not_possible', token, error: refused };
    // While a caller waits for a token that has none usable, admins see why: it is being fetched.
    if (!isFresh(token.accessTokenSealed !== null, token.expiresAt, this.clock.now(), 0)) await manager.update(OutboundToken, { id: token.id }, { state: 'refreshing' });
    let attempt: AttemptResult;
    try {
      attempt = await attemptRefresh(token, provider, this.providers.clientSecret(provider), this.secrets, () => this.clock.now(), this.egress);
    } catch (error) {
      await manager.update(OutboundToken, { id: token.id }, { state: token.state });
      throw error;
    }
    await persistAttempts(manager, this.outbox, [attempt]);
    return attempt;
  }

  /**
   * The scheduler's path: a batch of claimed tokens, locked together on one connection (tokens another replica or a
   * caller holds are skipped; their holder is refreshing them), refreshed concurrently and stored in one transaction.
   */
  async refreshScheduled(ids: string[], lease: Date, concurrency: number): Promise<AttemptResult[]> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      return await lockTokens(runner, ids, async (locked) => {
        const trigger: RefreshTrigger = { kind: 'scheduled', lease };
        const candidates = (await loadWithProviders(runner.manager, locked)).filter(({ token }) => this.stillNeeded(token, trigger, this.clock.now()) && !this.refusal(token, trigger));
        const attempts: AttemptResult[] = [];
        const queue = [...candidates];
        const worker = async () => {
          for (let next = queue.shift(); next; next = queue.shift()) {
            attempts.push(await attemptRefresh(next.token, next.provider, this.providers.clientSecret(next.provider), this.secrets, () => this.clock.now(), this.egress));
          }
        };
        await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker));
        await persistAttempts(runner.manager, this.outbox, attempts);
        void this.outbox.flush();
        return attempts;
      });
    } finally {
      await runner.release();
    }
  }
}
