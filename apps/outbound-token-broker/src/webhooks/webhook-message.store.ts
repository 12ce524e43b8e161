import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { WebhookMessageState } from '@tessera/contracts';
import type { Transaction } from '@tessera/persistence';
import { DataSource, In } from 'typeorm';
import { WebhookAttempt } from './webhook-attempt.entity.js';
import { WebhookMessage } from './webhook-message.entity.js';

export interface ClaimRequest {
  now: Date;
  limit: number;
  /** The most messages of one endpoint in flight in this replica; `busy` says how many it has already. */
  perEndpoint: number;
  busy: Map<string, number>;
  /** How long a claim holds a message before another replica may take it (longer than an attempt can last). */
  leaseMs: number;
}

/** What one attempt did to its message. */
export interface AttemptRecord {
  attempt: WebhookAttempt;
  state: WebhookMessageState;
  scheduleStep: number;
  nextAttemptAt: Date | null;
  deliveredAt: Date | null;
}

/** Messages for webhook endpoints and their attempts (ADR 0032). */
export abstract class WebhookMessageStore {
  /** Stores new messages; one already there for the same endpoint and id is left as it is (an event redelivered). */
  abstract insert(tx: Transaction, messages: WebhookMessage[]): Promise<void>;
  /** Takes due messages of enabled endpoints, at most `perEndpoint` in flight per endpoint, each under a lease. */
  abstract claimDue(request: ClaimRequest): Promise<WebhookMessage[]>;
  /** Records an attempt and where its message now stands; the lease ends. */
  abstract recordAttempt(tx: Transaction, messageRowId: string, record: AttemptRecord): Promise<void>;
  /** When the soonest pending message is due (enabled endpoints only), if any. */
  abstract nextDue(): Promise<Date | null>;
  abstract findByMessageId(endpointId: string, messageId: string): Promise<WebhookMessage | null>;
  /** An endpoint's messages newest first, after `before` (the previous page's last). */
  abstract page(
    endpointId: string,
    options: { limit: number; state?: WebhookMessageState; before?: { createdAt: Date; id: string } },
  ): Promise<{ items: WebhookMessage[]; attempts: WebhookAttempt[] }>;
  /** Puts messages back at the start of the schedule, due now; answers how many. */
  abstract requeue(tx: Transaction, endpointId: string, filter: { messageRowId: string } | { failedSince: Date }, now: Date): Promise<number>;
}

@Injectable()
export class SqlWebhookMessageStore extends WebhookMessageStore {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    super();
  }

  async insert(tx: Transaction, messages: WebhookMessage[]): Promise<void> {
    if (messages.length) await tx.createQueryBuilder().insert().into(WebhookMessage).values(messages).orIgnore().execute();
  }

  claimDue({ now, limit, perEndpoint, busy, leaseMs }: ClaimRequest): Promise<WebhookMessage[]> {
    return this.dataSource.transaction(async (tx) => {
      // Ranked per endpoint so a slow endpoint's backlog never fills the batch: each gets its free slots, no more.
      // The soonest due few thousand are ranked, not the whole backlog: a claim stays cheap however much waits.
      const candidates: { id: string }[] = await tx.query(
        `WITH soonest AS (
           SELECT m.id, m.endpoint_id, m.next_attempt_at, m.created_at
           FROM broker.webhook_message m JOIN broker.webhook_endpoint e ON e.id = m.endpoint_id AND e.enabled
           WHERE m.state = 'pending' AND m.next_attempt_at <= $1 AND (m.claimed_until IS NULL OR m.claimed_until < $1)
           ORDER BY m.next_attempt_at LIMIT 4000),
         due AS (
           SELECT id, endpoint_id, row_number() OVER (PARTITION BY endpoint_id ORDER BY next_attempt_at, created_at) AS rank FROM soonest)
         SELECT due.id FROM due LEFT JOIN unnest($2::uuid[], $3::int[]) AS b(endpoint_id, n) ON b.endpoint_id = due.endpoint_id
         WHERE due.rank <= $4 - coalesce(b.n, 0) ORDER BY due.rank LIMIT $5`,
        [now, [...busy.keys()], [...busy.values()], perEndpoint, limit],
      );
      if (!candidates.length) return [];
      const [rows]: [WebhookMessage[], number] = await tx.query(
        `UPDATE broker.webhook_message SET claimed_until = $2
         WHERE id IN (SELECT id FROM broker.webhook_message WHERE id = ANY($1::uuid[]) AND state = 'pending'
                      AND (claimed_until IS NULL OR claimed_until < $3) FOR UPDATE SKIP LOCKED)
         RETURNING id`,
        [candidates.map((c) => c.id), new Date(now.getTime() + leaseMs), now],
      );
      if (!rows.length) return [];
      return tx.getRepository(WebhookMessage).findBy({ id: In(rows.map((r) => r.id)) });
    });
  }

  async recordAttempt(tx: Transaction, messageRowId: string, record: AttemptRecord): Promise<void> {
    await tx.getRepository(WebhookAttempt).insert(record.attempt);
    await tx
      .getRepository(WebhookMessage)
      .update(
        { id: messageRowId },
        { state: record.state, scheduleStep: record.scheduleStep, nextAttemptAt: record.nextAttemptAt, deliveredAt: record.deliveredAt, claimedUntil: null },
      );
  }

  async nextDue(): Promise<Date | null> {
    const [row]: { due: Date | null }[] = await this.dataSource.query(
      `SELECT min(m.next_attempt_at) AS due FROM broker.webhook_message m JOIN broker.webhook_endpoint e ON e.id = m.endpoint_id AND e.enabled
       WHERE m.state = 'pending'`,
    );
    return row?.due ? new Date(row.due) : null;
  }

  findByMessageId(endpointId: string, messageId: string): Promise<WebhookMessage | null> {
    return this.dataSource.getRepository(WebhookMessage).findOneBy({ endpointId, messageId });
  }

  async page(
    endpointId: string,
    { limit, state, before }: { limit: number; state?: WebhookMessageState; before?: { createdAt: Date; id: string } },
  ): Promise<{ items: WebhookMessage[]; attempts: WebhookAttempt[] }> {
    const query = this.dataSource
      .getRepository(WebhookMessage)
      .createQueryBuilder('m')
      .where('m.endpoint_id = :endpointId', { endpointId })
      .orderBy('m.created_at', 'DESC')
      .addOrderBy('m.id', 'DESC')
      .take(limit);
    if (state) query.andWhere('m.state = :state', { state });
    if (before) query.andWhere('(m.created_at, m.id) < (:createdAt, :id)', before);
    const items = await query.getMany();
    const attempts = items.length
      ? await this.dataSource.getRepository(WebhookAttempt).find({ where: { messageRowId: In(items.map((m) => m.id)) }, order: { attemptedAt: 'ASC' } })
      : [];
    return { items, attempts };
  }

  async requeue(tx: Transaction, endpointId: string, filter: { messageRowId: string } | { failedSince: Date }, now: Date): Promise<number> {
    const [, count]: [unknown, number] =
      'messageRowId' in filter
        ? await tx.query(
            `UPDATE broker.webhook_message SET state = 'pending', schedule_step = 0, next_attempt_at = $3, claimed_until = NULL
             WHERE endpoint_id = $1 AND id = $2 AND (state <> 'pending' OR claimed_until IS NULL)`,
            [endpointId, filter.messageRowId, now],
          )
        : await tx.query(
            `UPDATE broker.webhook_message m SET state = 'pending', schedule_step = 0, next_attempt_at = $3, claimed_until = NULL
             WHERE m.endpoint_id = $1 AND m.state = 'failed'
               AND EXISTS (SELECT 1 FROM broker.webhook_attempt a WHERE a.message_row_id = m.id AND a.attempted_at >= $2)`,
            [endpointId, filter.failedSince, now],
          );
    return count;
  }
}
