import { Inject, Injectable } from '@nestjs/common';
import { EventsByOwner, type WebhookDisabledEvent, type WebhookDisabledEventReason } from '@tessera/contracts';
import type { Logger } from '@tessera/observability';
import { AuditTrail, EventOutbox, GroupCommit, Transactions, type Transaction } from '@tessera/persistence';
import { LOGGER, RUNTIME, type ServiceRuntime } from '@tessera/runtime';
import { WebhookEndpointCache } from './webhook-endpoint-cache.js';
import type { WebhookEndpoint } from './webhook-endpoint.entity.js';
import { WebhookEndpointStore } from './webhook-endpoint.store.js';
import { WebhookMessageStore, type AttemptRecord } from './webhook-message.store.js';

/** A finished attempt: what it did to its message, and whether the endpoint answered with 410 Gone. */
export interface FinishedAttempt {
  endpoint: WebhookEndpoint;
  record: AttemptRecord;
  gone: boolean;
  now: Date;
}

/**
 * Records finished attempts by group commit (ADR 0011): those that finish while a write is in flight are written
 * together — the attempt rows, their messages' states, each endpoint's failing streak and any disabling — in one
 * transaction, instead of one transaction per attempt. Each attempt's promise settles only once its batch is
 * committed, and its message's lease holds until then, so a crash before the commit means the attempt is made again
 * with the same `webhook-id` (at least once).
 */
@Injectable()
export class WebhookAttemptWriter {
  private readonly commits: GroupCommit<FinishedAttempt>;
  private readonly disableAfterMs: number;

  constructor(
    private readonly messages: WebhookMessageStore,
    private readonly endpoints: WebhookEndpointStore,
    private readonly cache: WebhookEndpointCache,
    private readonly transactions: Transactions,
    private readonly outbox: EventOutbox,
    private readonly audit: AuditTrail,
    @Inject(RUNTIME) runtime: ServiceRuntime,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.disableAfterMs = runtime.config.webhooks.disableAfterMs;
    // One write at a time: two would lock the same endpoints' rows in their own orders and could deadlock; the
    // attempts that finish meanwhile make the next batch.
    this.commits = new GroupCommit((batch) => this.write(batch), {
      maxBatch: 500,
      maxInFlight: 1,
      onBatchFailed: (err, size) => this.logger.warn({ err, size }, 'a batch of webhook attempts failed; recording them one by one'),
    });
  }

  /** Resolves once the attempt is committed. */
  async record(finished: FinishedAttempt): Promise<void> {
    await this.commits.add(finished);
  }

  private async write(batch: FinishedAttempt[]): Promise<boolean[]> {
    let changed = false;
    const disabled = await this.transactions.run(async (tx) => {
      await this.messages.recordAttempts(
        tx,
        batch.map((b) => b.record),
      );
      const groups = byEndpoint(batch);
      // Successes first: failures after an endpoint's last success start a new streak.
      const succeeded = groups.filter((attempts) => attempts.some((a) => a.record.state === 'delivered'));
      await this.endpoints.noteSuccess(
        tx,
        succeeded.map((attempts) => attempts[0].endpoint.id),
      );
      changed = succeeded.some((attempts) => attempts[0].endpoint.failingSince);
      let any = false;
      for (const attempts of groups) any = (await this.noteFailures(tx, attempts)) || any;
      return any;
    });
    if (changed || disabled) this.cache.changed();
    if (disabled) void this.outbox.flush();
    return batch.map(() => true);
  }

  /**
   * One endpoint's attempts of this batch, in the order they finished: failures after its last success start or
   * continue its failing streak, and 410 or a streak longer than the limit disables it (true if this did).
   */
  private async noteFailures(tx: Transaction, attempts: FinishedAttempt[]): Promise<boolean> {
    const failures = attempts.slice(attempts.findLastIndex((a) => a.record.state === 'delivered') + 1);
    if (!failures.length) return false;
    const endpoint = attempts[0].endpoint;
    const failingSince = await this.endpoints.noteFailure(tx, endpoint.id, failures[0].now);
    const latest = failures[failures.length - 1].now;
    const reason: WebhookDisabledEventReason | undefined = failures.some((f) => f.gone)
      ? 'gone'
      : failingSince && latest.getTime() - failingSince.getTime() >= this.disableAfterMs
        ? 'failing'
        : undefined;
    return reason !== undefined && (await this.disable(tx, endpoint, reason, failingSince, latest));
  }

  /** Stops delivering to an endpoint, with an event and an audit line; true if this call is the one that did. */
  private async disable(
    tx: Transaction,
    endpoint: WebhookEndpoint,
    reason: WebhookDisabledEventReason,
    failingSince: Date | null,
    now: Date,
  ): Promise<boolean> {
    const disabled = await this.endpoints.disable(tx, endpoint.id, reason, now);
    if (!disabled) return false;
    const event: WebhookDisabledEvent = { webhookId: endpoint.id, url: endpoint.url, reason, failingSince: failingSince?.toISOString() ?? null };
    await this.outbox.record(tx, EventsByOwner['outbound-token-broker'].webhookDisabled, event);
    await this.audit.record(tx, {
      action: 'webhook.disable',
      target: { type: 'webhook', id: endpoint.id, name: endpoint.url },
      before: { enabled: true },
      after: { enabled: false, disabledReason: reason },
      detail: { reason, failingSince: event.failingSince },
    });
    this.logger.warn({ webhookId: endpoint.id, reason }, 'webhook endpoint disabled');
    return true;
  }
}

/** The batch's attempts per endpoint, in the order they finished. */
function byEndpoint(batch: FinishedAttempt[]): FinishedAttempt[][] {
  const groups = new Map<string, FinishedAttempt[]>();
  for (const finished of batch) {
    const group = groups.get(finished.endpoint.id);
    if (group) group.push(finished);
    else groups.set(finished.endpoint.id, [finished]);
  }
  return [...groups.values()];
}
