import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DatabaseAvailability } from '@tessera/persistence';
import type { Logger, Clock } from '@tessera/observability';
import { CLOCK, LOGGER } from '@tessera/runtime';
import { RefreshService } from './refresh.service.js';
import { OutboundTokenStore } from '../outbound-token/outbound-token.store.js';
import type { Provider } from '../providers/provider.entity.js';
import type { OutboundToken } from '../outbound-token/outbound-token.entity.js';

/** Results waiting to be stored beyond which no new provider calls start. */
const WRITE_BACKLOG_LIMIT = 1024;

export const REFRESH_SCHEDULER_OPTIONS = Symbol('RefreshSchedulerOptions');

export interface RefreshSchedulerOptions {
  /** How often to look for due tokens when the last look found none (or every slot was taken). */
  pollMs: number;
  /** Scheduled provider calls in flight at once in this replica (TESSERA_BROKER_REFRESH_CONCURRENCY). None holds a database connection. */
  concurrency: number;
  /** Scheduled refreshes in flight at once against one provider, across every replica (TESSERA_BROKER_PROVIDER_CONCURRENCY). */
  providerConcurrency: number;
  enabled: boolean;
}

export const DEFAULT_SCHEDULER_OPTIONS: RefreshSchedulerOptions = { pollMs: 1000, concurrency: 32, providerConcurrency: 8, enabled: true };

/**
 * Proactive refresh. Due tokens are claimed (a lease per token, committed; SKIP LOCKED so replicas claim side by side)
 * only as slots free up, and each runs on its own: its result is stored the moment it comes back, whatever the others
 * are doing. A provider is given at most `providerConcurrency` leases at a time, so one that hangs keeps only its own
 * tokens waiting. Whether anybody used a token recently does not matter, so refresh tokens do not lapse from disuse.
 */
@Injectable()
export class RefreshScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private claiming?: Promise<void>;
  /** Provider calls in flight (what `concurrency` bounds); their writes are group-committed after. */
  private calling = 0;
  private readonly running = new Set<Promise<void>>();
  private stopped = false;

  constructor(
    private readonly store: OutboundTokenStore,
    private readonly refresher: RefreshService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(REFRESH_SCHEDULER_OPTIONS) private readonly options: RefreshSchedulerOptions,
    private readonly availability: DatabaseAvailability,
  ) {}

  onApplicationBootstrap(): void {
    if (this.options.enabled) this.wake(0);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.claiming;
    await Promise.allSettled([...this.running]);
  }

  /** Scheduled provider calls in flight in this replica now. */
  get inFlight(): number {
    return this.calling;
  }

  private wake(delayMs: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.fill(), delayMs);
    this.timer.unref();
  }

  /** Claims as many due tokens as there are free slots and starts them; looks again when slots free up or after pollMs. */
  private fill(): Promise<void> {
    if (this.claiming || this.stopped) return this.claiming ?? Promise.resolve();
    this.claiming = (async () => {
      let again = false;
      try {
        const free = this.options.concurrency - this.calling;
        // Results the database has not caught up with yet: no new calls until it does (backpressure).
        if (free > 0 && this.refresher.writer.backlog < WRITE_BACKLOG_LIMIT) {
          const claimed = await this.claim(free);
          // All slots filled and maybe more due: look again as soon as one frees up (see `start`).
          again = claimed === free;
        }
      } catch (err) {
        if (!this.availability.noteFailure(err)) this.logger.warn({ err }, 'claiming due tokens failed; retrying');
      } finally {
        this.claiming = undefined;
      }
      // With every slot taken, the next refresh to finish wakes the scheduler (see `start`).
      if (!again) this.wake(this.options.pollMs);
      else if (this.calling < this.options.concurrency) this.wake(0);
    })();
    return this.claiming;
  }

  /** Claims up to `limit` due tokens and starts a refresh for each; returns how many were claimed. */
  async claim(limit: number): Promise<number> {
    const leaseId = this.clock.uuid();
    const ids = await this.store.claimDue({
      now: this.clock.now(),
      limit,
      perProvider: this.options.providerConcurrency,
      leaseId,
      ceilingMs: this.refresher.timeoutCeilingMs,
    });
    if (!ids.length) return 0;
    const loaded = await this.store.loadWithProviders(ids).catch(async (error) => {
      await this.store.releaseLeases(ids, leaseId).catch(() => undefined);
      throw error;
    });
    const idle: string[] = [];
    for (const { token, provider } of loaded) {
      // Refused tokens (revoked, failed) are not scheduled; one found so anyway is just given back.
      if (token.state === 'revoked' || token.state === 'refresh_failed') idle.push(token.id);
      else this.start(token, provider, leaseId);
    }
    await this.store.releaseLeases(idle, leaseId);
    return ids.length;
  }

  private start(token: OutboundToken, provider: Provider, leaseId: string): void {
    this.calling++;
    let freed = false;
    const free = () => {
      if (freed) return;
      freed = true;
      this.calling--;
      // A slot is free: claim the next due token now rather than at the next poll.
      if (!this.stopped && !this.claiming) this.wake(0);
    };
    const tracked: Promise<void> = this.refresher
      .attempt(token, provider, leaseId, free)
      .then(
        () => undefined,
        (err) => this.logger.error({ err }, 'scheduled refresh failed unexpectedly; its lease will run out and the token be claimed again'),
      )
      .finally(() => {
        free();
        this.running.delete(tracked);
      });
    this.running.add(tracked);
  }

  /** Runs one claim and waits for every refresh it started (tests and benchmarks drive the scheduler with it). */
  async pass(): Promise<number> {
    const claimed = await this.claim(this.options.concurrency - this.calling);
    await Promise.allSettled([...this.running]);
    return claimed;
  }
}
