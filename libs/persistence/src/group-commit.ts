/** How a GroupCommit batches. */
export interface GroupCommitOptions {
  /** Items written by one call at most; more wait for the next. */
  maxBatch?: number;
  /** Writes in flight at once: one being committed while the next batch gathers is enough to keep Postgres busy. */
  maxInFlight?: number;
  /** After a batch failed, retry its items one by one all at once (true) or one after the other (false). */
  retryConcurrently?: boolean;
  /** Told when a batch failed and its items are retried one by one. */
  onBatchFailed?: (error: unknown, size: number) => void;
  /** Runs after each batch has settled (retries included), e.g. to relay the events it recorded. */
  afterBatch?: () => void;
}

interface Waiting<T> {
  item: T;
  resolve: (stored: boolean) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit (docs/decisions/0011): items that arrive while a write is in flight are written together, one round
 * trip and one commit for the batch instead of one each. Durability is unchanged — each caller's promise settles only
 * once the commit holding its item does. Under light load a batch is one item and waits one event-loop turn, which
 * lets items decoded from the same socket read join it. If a batch fails, its items are retried one by one, so one bad
 * row fails only its own caller.
 *
 * `write` stores a batch and answers, item by item in the same order, whether each was stored (an item may be
 * refused by a condition checked in the statement itself, without failing the others).
 */
export class GroupCommit<T> {
  private readonly waiting: Waiting<T>[] = [];
  private inFlight = 0;
  private scheduled = false;
  private readonly maxBatch: number;
  private readonly maxInFlight: number;

  constructor(
    private readonly write: (batch: T[]) => Promise<boolean[]>,
    private readonly options: GroupCommitOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? 256;
    this.maxInFlight = options.maxInFlight ?? 4;
  }

  /** Items waiting for a write to start. */
  get backlog(): number {
    return this.waiting.length;
  }

  /** Resolves once the item's batch is committed: true if it was stored, false if its write refused it. */
  add(item: T): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.maxInFlight || this.waiting.length === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < this.maxInFlight && this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.maxBatch);
      this.inFlight++;
      void this.commit(batch).finally(() => {
        this.inFlight--;
        this.schedule();
      });
    }
  }

  private async commit(batch: Waiting<T>[]): Promise<void> {
    try {
      const stored = await this.write(batch.map((waiting) => waiting.item));
      batch.forEach((waiting, i) => waiting.resolve(stored[i] === true));
    } catch (error) {
      if (batch.length === 1) {
        batch[0].reject(error);
      } else {
        this.options.onBatchFailed?.(error, batch.length);
        const alone = (waiting: Waiting<T>) => this.write([waiting.item]).then(([stored]) => waiting.resolve(stored === true), waiting.reject);
        if (this.options.retryConcurrently) await Promise.all(batch.map(alone));
        else for (const waiting of batch) await alone(waiting);
      }
    }
    this.options.afterBatch?.();
  }
}
