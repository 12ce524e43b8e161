import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DatabaseAvailability, type Clock } from '@tessera/persistence';
import type { Logger } from '@tessera/observability';
import { CLOCK, LOGGER } from '@tessera/runtime';
import { DataSource } from 'typeorm';
import { RefreshService } from './refresh.service.js';

export const REFRESH_SCHEDULER_OPTIONS = Symbol('RefreshSchedulerOptions');

export interface RefreshSchedulerOptions {
  /** How often to look for due tokens when the last pass found none. */
  pollMs: number;
  /** Tokens claimed per pass. */
  batchSize: number;
  /** Refreshes in flight at once in this replica; each holds a pooled connection for its lock. */
  concurrency: number;
  /** How long a claim keeps other replicas off a token; a replica that dies mid-refresh frees it after this. */
  leaseMs: number;
  enabled: boolean;
}

export const DEFAULT_SCHEDULER_OPTIONS: RefreshSchedulerOptions = { pollMs: 1000, batchSize: 200, concurrency: 8, leaseMs: 120_000, enabled: true };

/**
 * Proactive refresh: claims due tokens in batches (FOR UPDATE SKIP LOCKED, so replicas take disjoint batches without
 * waiting for each other) by pushing their next_refresh_at out by a lease, then refreshes each under its token lock.
 * Whether anybody used a token recently does not matter, so refresh tokens do not lapse from disuse.
 */
@Injectable()
export class RefreshScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly refresher: RefreshService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(REFRESH_SCHEDULER_OPTIONS) private readonly options: RefreshSchedulerOptions,
    private readonly availability: DatabaseAvailability,
  ) {}

  onApplicationBootstrap(): void {
    if (this.options.enabled) this.schedule(0);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.pass()
        .then((claimed) => this.schedule(claimed >= this.options.batchSize ? 0 : this.options.pollMs))
        .catch((err) => {
          if (!this.availability.noteFailure(err)) this.logger.warn({ err }, 'refresh scheduler pass failed; retrying');
          this.schedule(this.options.pollMs);
        });
    }, delayMs);
    this.timer.unref();
  }

  /** Claims and refreshes one batch of due tokens; returns how many were claimed. */
  async pass(): Promise<number> {
    const now = this.clock.now();
    const lease = new Date(now.getTime() + this.options.leaseMs);
    const rows: { id: string }[] = await this.dataSource.query(
      `UPDATE "broker"."outbound_token" SET "next_refresh_at" = $2
        WHERE "id" IN (SELECT "id" FROM "broker"."outbound_token"
                        WHERE "next_refresh_at" <= $1 AND "active"
                        ORDER BY "next_refresh_at" LIMIT $3 FOR UPDATE SKIP LOCKED)
        RETURNING "id"`,
      [now, lease, this.options.batchSize],
    ).then((result: unknown) => (Array.isArray(result) && Array.isArray(result[0]) ? result[0] : result) as { id: string }[]);
    const ids = rows.map((r) => r.id);
    // Sub-batches bound how long a claimed token waits behind slower ones before its result is stored.
    for (let i = 0; i < ids.length; i += this.options.concurrency * 4) {
      try {
        await this.refresher.refreshScheduled(ids.slice(i, i + this.options.concurrency * 4), lease, this.options.concurrency);
      } catch (err) {
        if (!this.availability.noteFailure(err)) this.logger.error({ err, tokens: ids.length }, 'scheduled refresh batch failed unexpectedly; the lease will expire and the tokens be claimed again');
      }
    }
    return rows.length;
  }
}
