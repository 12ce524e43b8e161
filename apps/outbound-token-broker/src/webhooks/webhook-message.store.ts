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
  /** Records attempts (each of a different message) and where their messages now stand; their leases end. */
  abstract recordAttempts(tx: Transaction, records: AttemptRecord[]): Promise<void>;
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

  async claimDue({ now, limit, perEndpoint, busy, leaseMs }: ClaimRequest): Promise<WebhookMessage[]> {
    // Each enabled endpoint offers its own soonest due messages, up to its free slots (one index range each): a dead
    // endpoint's backlog, however long, never stands in front of anyone else's. The soonest of those are leased in
    // the same statement, skipping rows another replica is leasing meanwhile.
    const [rows]: [{ id: string }[], number] = await this.dataSource.query(
      `UPDATE broker.webhook_message SET claimed_until = $6
       WHERE id IN (
         SELECT m.id FROM broker.webhook_message m
         WHERE m.id IN (
           SELECT due.id FROM broker.webhook_endpoint e
           CROSS JOIN LATERAL (
             SELECT d.id, d.next_attempt_at FROM broker.webhook_message d
             WHERE d.endpoint_id = e.id AND d.state = 'pending' AND d.next_attempt_at <= $1 AND (d.claimed_until IS NULL OR d.claimed_until < $1)
             ORDER BY d.next_attempt_at
             LIMIT greatest(0, $4 - coalesce((SELECT b.n FROM unnest($2::uuid[], $3::int[]) AS b(endpoint_id, n) WHERE b.endpoint_id = e.id), 0))
           ) due
           WHERE e.enabled
           ORDER BY due.next_attempt_at LIMIT $5)
         AND m.state = 'pending' AND (m.claimed_until IS NULL OR m.claimed_until < $1)
         FOR UPDATE SKIP LOCKED)
       RETURNING id`,
      [now, [...busy.keys()], [...busy.values()], perEndpoint, limit, new Date(now.getTime() + leaseMs)],
    );
    if (!rows.length) return [];
    return this.dataSource.getRepository(WebhookMessage).findBy({ id: In(rows.map((r) => r.id)) });
  }

  async recordAttempts(tx: Transaction, records: AttemptRecord[]): Promise<void> {
    if (!records.length) return;
    const attempts = records.map((r) => r.attempt);
    await tx.query(
      `INSERT INTO broker.webhook_attempt (id, message_row_id, attempted_at, status, latency_ms, response, error)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::timestamptz[], $4::int[], $5::int[], $6::text[], $7::text[])`,
      [
        attempts.map((a) => a.id),
        attempts.map((a) => a.messageRowId),
        attempts.map((a) => a.attemptedAt),
        attempts.map((a) => a.status),
        attempts.map((a) => a.latencyMs),
        attempts.map((a) => a.response),
        attempts.map((a) => a.error),
      ],
    );
    await tx.query(
      `UPDATE broker.webhook_message m
       SET state = u.state, schedule_step = u.step, next_attempt_at = u.next_at, delivered_at = u.delivered_at, claimed_until = NULL
       FROM unnest($1::uuid[], $2::text[], $3::int[], $4::timestamptz[], $5::timestamptz[]) AS u(id, state, step, next_at, delivered_at)
       WHERE m.id = u.id`,
      [
        attempts.map((a) => a.messageRowId),
        records.map((r) => r.state),
        records.map((r) => r.scheduleStep),
        records.map((r) => r.nextAttemptAt),
        records.map((r) => r.deliveredAt),
      ],
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
