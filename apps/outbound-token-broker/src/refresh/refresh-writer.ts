import type { Logger } from '@tessera/observability';
import type { EventOutbox } from '@tessera/persistence';
import type { DataSource } from 'typeorm';
import { persistAttempts, type LeasedAttempt } from './token-persistence.js';

const MAX_BATCH = 256;
const MAX_IN_FLIGHT = 4;

interface Pending extends LeasedAttempt {
  resolve(stored: boolean): void;
  reject(error: unknown): void;
}

/**
 * Stores each refresh's result as soon as it comes back — the provider's answer (a rotated refresh token above all) is
 * written before anything else is done with it — while results arriving together share one transaction (group
 * commit, as docs/decisions/0011), which is what keeps a replica above a thousand refreshes a second. A batch that
 * fails is retried one by one, so one bad row fails only its own refresh.
 */
export class RefreshWriter {
  private queue: Pending[] = [];
  private inFlight = 0;
  private scheduled = false;

  constructor(private readonly dataSource: DataSource, private readonly outbox: EventOutbox, private readonly logger: Logger) {}

  /** Results waiting for a write to start. */
  get backlog(): number {
    return this.queue.length;
  }

  /** Resolves true once stored, false when the lease was no longer ours (another holder took the token over). */
  store(item: LeasedAttempt): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      this.queue.push({ ...item, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        // One event-loop turn lets results that completed together join the same batch.
        setImmediate(() => {
          this.scheduled = false;
          this.pump();
        });
      }
    });
  }

  private pump(): void {
    while (this.inFlight < MAX_IN_FLIGHT && this.queue.length) {
      const batch = this.queue.splice(0, MAX_BATCH);
      this.inFlight++;
      void this.write(batch).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  private async write(batch: Pending[]): Promise<void> {
    try {
      const stored = await persistAttempts(this.dataSource.manager, this.outbox, batch);
      for (const item of batch) item.resolve(stored.has(item.attempt.token.id));
    } catch (error) {
      if (batch.length === 1) {
        batch[0].reject(error);
      } else {
        this.logger.warn({ err: error, results: batch.length }, 'storing a batch of refresh results failed; storing them one by one');
        for (const item of batch) {
          await persistAttempts(this.dataSource.manager, this.outbox, [item]).then((stored) => item.resolve(stored.has(item.attempt.token.id)), item.reject);
        }
      }
    }
    void this.outbox.flush();
  }
}
