import type { Logger } from '@tessera/observability';
import { GroupCommit, type EventOutbox } from '@tessera/persistence';
import type { LeasedAttempt, OutboundTokenStore } from '../outbound-token/outbound-token.store.js';

/**
 * Stores each refresh's result as soon as it comes back — the provider's answer (a rotated refresh token above all) is
 * written before anything else is done with it — while results arriving together share one transaction (group
 * commit, as docs/decisions/0011), which is what keeps a replica above a thousand refreshes a second. A batch that
 * fails is retried one by one, so one bad row fails only its own refresh.
 */
export class RefreshWriter {
  private readonly commits: GroupCommit<LeasedAttempt>;

  constructor(store: OutboundTokenStore, outbox: EventOutbox, logger: Logger) {
    this.commits = new GroupCommit(
      async (batch) => {
        const stored = await store.storeAttempts(outbox, batch);
        return batch.map((item) => stored.has(item.attempt.token.id));
      },
      {
        onBatchFailed: (error, size) => logger.warn({ err: error, results: size }, 'storing a batch of refresh results failed; storing them one by one'),
        afterBatch: () => void outbox.flush(),
      },
    );
  }

  /** Results waiting for a write to start. */
  get backlog(): number {
    return this.commits.backlog;
  }

  /** Resolves true once stored, false when the lease was no longer ours (another holder took the token over). */
  store(item: LeasedAttempt): Promise<boolean> {
    return this.commits.add(item);
  }
}
