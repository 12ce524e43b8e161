import type { Logger } from '@tessera/observability';
import type { DataSource } from 'typeorm';
import type { Clock } from '@tessera/observability';

/**
 * Rows of one table that nothing can need any more: `where` is SQL over the table's columns with `$1…` bound to
 * `params(now)`. Each rule says in its `why` what keeps a row alive until then (docs/decisions/0016).
 */
export interface PruneRule {
  name: string;
  /** Schema-qualified and quoted: `"auth"."authorization_code"`. */
  table: string;
  /** The primary key column, quoted. */
  key: string;
  where: string;
  params(now: Date): unknown[];
  /**
   * A table that refuses deletes (the audit log's append-only trigger) lets through those of a transaction that set
   * this setting: the pruner sets it, locally, for its own statement only.
   */
  guard?: string;
}

export interface PrunerOptions {
  intervalMs: number;
  /** Rows per DELETE: each statement holds its row locks only for its own batch. */
  batchSize?: number;
}

/**
 * Deletes what the rules name, on a schedule, in batches. Each batch is `DELETE … WHERE key IN (SELECT key … LIMIT n
 * FOR UPDATE SKIP LOCKED)`: short statements that never wait on a row another transaction (a refresh, another
 * replica's pruner) holds, so replicas of a service may all prune at once without blocking each other or the
 * service's own work, and a row deleted twice is simply not found the second time.
 */
export class Pruner {
  private timer?: NodeJS.Timeout;
  private running?: Promise<Record<string, number>>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly rules: readonly PruneRule[],
    private readonly options: PrunerOptions,
  ) {}

  /** One pass over every rule; resolves with the rows deleted per rule. Concurrent calls share one pass. */
  runOnce(): Promise<Record<string, number>> {
    this.running ??= this.pass().finally(() => (this.running = undefined));
    return this.running;
  }

  private async pass(): Promise<Record<string, number>> {
    const batchSize = this.options.batchSize ?? 1000;
    const deleted: Record<string, number> = {};
    for (const rule of this.rules) {
      deleted[rule.name] = 0;
      // The cut-off is fixed for the pass, so rows that become prunable meanwhile wait for the next one.
      const params = rule.params(this.clock.now());
      for (;;) {
        if (!this.dataSource.isInitialized) return deleted;
        const statement = `DELETE FROM ${rule.table} WHERE ${rule.key} IN (SELECT ${rule.key} FROM ${rule.table} WHERE ${rule.where} LIMIT ${batchSize} FOR UPDATE SKIP LOCKED)`;
        const result: [unknown[], number] = rule.guard
          ? await this.dataSource.transaction(async (manager) => {
              await manager.query(`SELECT set_config($1, 'on', true)`, [rule.guard]);
              return manager.query(statement, params);
            })
          : await this.dataSource.query(statement, params);
        const count = Array.isArray(result) ? Number(result[1] ?? 0) : 0;
        deleted[rule.name] += count;
        if (count < batchSize) break;
        // Let the service's own queries in between batches.
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    const total = Object.values(deleted).reduce((a, b) => a + b, 0);
    if (total) this.logger.info({ deleted }, 'pruned rows nothing needs any more');
    return deleted;
  }

  start(): void {
    if (!this.rules.length || this.options.intervalMs <= 0) return;
    this.timer = setInterval(
      () => void this.runOnce().catch((err) => this.logger.warn({ err }, 'pruning failed; will retry at the next interval')),
      this.options.intervalMs,
    );
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }
}

export interface MessagingRetention {
  /** How long an applied event's id is kept in the inbox (redeliveries within it are recognised). */
  inboxMs: number;
  /** How long a published event is kept in the outbox, for inspection. */
  outboxMs: number;
}

/** How long a dead letter is kept. */
export const DEAD_LETTER_RETENTION_MS = 30 * 86_400_000;

/** The outbox and inbox every service has (`messaging-tables.ts` beside this file). */
export function messagingPruneRules(schema: string, retention: MessagingRetention): PruneRule[] {
  return [
    {
      // Only published rows: a pending one is an event not yet relayed, never pruned however old.
      name: 'outbox_event',
      table: `"${schema}"."outbox_event"`,
      key: '"id"',
      where: '"published_at" IS NOT NULL AND "published_at" < $1',
      params: (now) => [new Date(now.getTime() - retention.outboxMs)],
    },
    {
      // The bus redelivers an unacknowledged event within seconds to minutes; past the retention, nothing redelivers it.
      name: 'processed_event',
      table: `"${schema}"."processed_event"`,
      key: '"event_id"',
      where: '"processed_at" < $1',
      params: (now) => [new Date(now.getTime() - retention.inboxMs)],
    },
    {
      // Long enough for an operator to notice and read them; bounded, since anyone who can publish can add some.
      name: 'dead_letter',
      table: `"${schema}"."dead_letter"`,
      key: '"id"',
      where: '"recorded_at" < $1',
      params: (now) => [new Date(now.getTime() - DEAD_LETTER_RETENTION_MS)],
    },
  ];
}
