import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Events, type TokenRecoveredEvent, type TokenRefreshedEvent, type TokenRefreshFailedEvent } from '@tessera/contracts';
import { EventOutbox, type Clock } from '@tessera/persistence';
import { CLOCK } from '@tessera/runtime';
import { DataSource, type EntityManager } from 'typeorm';
import { clientCredentialsGrant, passwordGrant, refreshGrant } from '../oauth/grants.js';
import { resolveProvider, type ResolvedProvider } from '../oauth/resolved-provider.js';
import { TokenEndpointError } from '../oauth/token-endpoint-error.js';
import type { MappedToken } from '../oauth/token-response.js';
import { Provider } from '../providers/provider.entity.js';
import { ProvidersService } from '../providers/providers.service.js';
import { BrokerSecrets } from '../secrets/broker-secrets.js';
import { OutboundToken } from '../tokens/outbound-token.entity.js';
import { openAccessToken, openRefreshToken, storeIssuedTokens, tokenHash } from '../tokens/token-credentials.js';
import { isFresh } from '../tokens/token-state.js';
import { retryDelayMs } from './schedule.js';
import { withTokenLock } from './token-lock.js';

/** Why a refresh is asked for; each decides, under the lock, whether it is still needed. */
export type RefreshTrigger =
  | { kind: 'admin' }
  | { kind: 'on_demand' }
  | { kind: 'rejected'; tokenHash: string }
  | { kind: 'scheduled'; lease: Date };

export type RefreshOutcome = 'refreshed' | 'not_needed' | 'transient_failure' | 'permanent_failure' | 'not_possible' | 'busy';

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
  ) {}

  refresh(tokenId: string, trigger: RefreshTrigger): Promise<RefreshResult> {
    // Scheduled and admin refreshes are not shared: each carries its own intent. Callers who just need a token are.
    if (trigger.kind === 'scheduled' || trigger.kind === 'admin') return this.refreshUnderLock(tokenId, trigger);
    const key = `${tokenId}:${trigger.kind === 'rejected' ? trigger.tokenHash : ''}`;
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = this.refreshUnderLock(tokenId, trigger).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    return pending;
  }

  private async refreshUnderLock(tokenId: string, trigger: RefreshTrigger): Promise<RefreshResult> {
    const result = await withTokenLock(this.dataSource, tokenId, trigger.kind === 'scheduled' ? 'skip' : 'wait', (manager) => this.refreshLocked(manager, tokenId, trigger));
    if (!result.locked) {
      const token = await this.dataSource.getRepository(OutboundToken).findOneByOrFail({ id: tokenId });
      return { outcome: 'busy', token };
    }
    void this.outbox.flush();
    return result.value;
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

  private async refreshLocked(manager: EntityManager, tokenId: string, trigger: RefreshTrigger): Promise<RefreshResult> {
    const token = await manager.findOneByOrFail(OutboundToken, { id: tokenId });
    const now = this.clock.now();
    if (!this.stillNeeded(token, trigger, now)) return { outcome: 'not_needed', token };
    if (!token.active || (token.state === 'revoked' && trigger.kind !== 'admin')) return { outcome: 'not_possible', token, error: `token is ${token.state}` };
    if (token.state === 'refresh_failed' && trigger.kind !== 'admin') return { outcome: 'not_possible', token, error: token.lastMessage ?? 'refresh failed' };
    const provider = await manager.findOneByOrFail(Provider, { id: token.providerId });
    const resolved = resolveProvider(provider, this.providers.clientSecret(provider), token);
    const previousState = token.state;
    await manager.update(OutboundToken, { id: token.id }, { state: 'refreshing' });
    try {
      const issued = await this.obtain(token, resolved);
      if (!issued) {
        token.state = previousState === 'refreshing' ? 'expired' : previousState;
        await manager.save(token);
        return { outcome: 'not_possible', token, error: 'no refresh token: the token needs authorization' };
      }
      await this.recordSuccess(manager, token, issued, provider);
      return { outcome: 'refreshed', token };
    } catch (error) {
      if (!(error instanceof TokenEndpointError)) {
        await manager.update(OutboundToken, { id: token.id }, { state: previousState });
        throw error;
      }
      return this.recordFailure(manager, token, error, previousState);
    }
  }

  /** The grant that renews this token: a refresh token when there is one, else the client's own credentials. */
  private async obtain(token: OutboundToken, provider: ResolvedProvider): Promise<MappedToken | undefined> {
    const now = () => this.clock.now();
    const refreshToken = openRefreshToken(this.secrets, token);
    switch (provider.record.grantType) {
      case 'client_credentials':
        return clientCredentialsGrant(provider, now);
      case 'password': {
        if (refreshToken) {
          try {
            return await refreshGrant(provider, refreshToken, now);
          } catch (error) {
            // The password is the durable credential: a dead refresh token is replaced by logging in again (Itential).
            if (!(error instanceof TokenEndpointError && error.permanent)) throw error;
          }
        }
        const password = this.secrets.openOptional(token.passwordSealed, token.id, 'password');
        if (!token.username || !password) throw new TokenEndpointError('the password grant needs a username and password on the token', true);
        return passwordGrant(provider, { username: token.username, password }, now);
      }
      case 'authorization_code':
        return refreshToken ? refreshGrant(provider, refreshToken, now) : undefined;
    }
  }

  private async recordSuccess(manager: EntityManager, token: OutboundToken, issued: MappedToken, provider: Provider): Promise<void> {
    const failuresBefore = token.consecutiveFailures;
    storeIssuedTokens(this.secrets, token, issued, this.clock.now(), provider.refreshBufferSeconds);
    await manager.transaction(async (tx) => {
      await tx.save(token);
      const summary = { tokenId: token.id, name: token.name, expiresAt: token.expiresAt?.toISOString() ?? null, scope: token.scope };
      await this.outbox.record<TokenRefreshedEvent>(tx, Events.tokenRefreshed, summary);
      if (failuresBefore > 0) {
        await this.outbox.record<TokenRecoveredEvent>(tx, Events.tokenRecovered, { tokenId: token.id, name: token.name, failuresBeforeRecovery: failuresBefore, expiresAt: summary.expiresAt });
      }
    });
  }

  /**
   * Permanent: the grant is dead, a human must re-authorize (refresh_failed). Transient: retry with backoff; the
   * current access token keeps being served while it lasts, and the failure is counted where admins can see it.
   */
  private async recordFailure(manager: EntityManager, token: OutboundToken, error: TokenEndpointError, previousState: OutboundToken['state']): Promise<RefreshResult> {
    const now = this.clock.now();
    token.consecutiveFailures += 1;
    if (error.permanent) {
      token.state = 'refresh_failed';
      token.lastMessage = error.message;
      token.nextRefreshAt = null;
    } else {
      token.lastTransientError = error.message;
      token.nextRefreshAt = new Date(now.getTime() + retryDelayMs(token.consecutiveFailures));
      token.state = isFresh(token.accessTokenSealed !== null, token.expiresAt, now, 0) ? 'valid' : previousState === 'pending_authorization' ? previousState : 'expired';
    }
    await manager.transaction(async (tx) => {
      await tx.save(token);
      await this.outbox.record<TokenRefreshFailedEvent>(tx, Events.tokenRefreshFailed, {
        tokenId: token.id, name: token.name, error: error.message, permanent: error.permanent, consecutiveFailures: token.consecutiveFailures,
      });
    });
    return { outcome: error.permanent ? 'permanent_failure' : 'transient_failure', token, error: error.message };
  }
}
