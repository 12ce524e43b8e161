import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Transaction } from '@tessera/persistence';
import { DataSource } from 'typeorm';
import { WebhookEndpoint } from './webhook-endpoint.entity.js';

/** Where webhook endpoints are kept, in the broker's words (ADR 0032). */
export abstract class WebhookEndpointStore {
  abstract save(tx: Transaction, endpoint: WebhookEndpoint): Promise<WebhookEndpoint>;
  abstract delete(tx: Transaction, id: string): Promise<void>;
  abstract get(id: string): Promise<WebhookEndpoint | null>;
  /** Locked for the rest of the transaction: a change and the dispatcher's disabling do not cross. */
  abstract lockForChange(tx: Transaction, id: string): Promise<WebhookEndpoint | null>;
  /** A page by creation, and how many there are in all. */
  abstract page(limit: number, offset: number): Promise<{ items: WebhookEndpoint[]; total: number }>;
  abstract listEnabled(): Promise<WebhookEndpoint[]>;
  /** Deliveries to these endpoints succeeded: their failing streaks, if any, end. */
  abstract noteSuccess(tx: Transaction, ids: string[]): Promise<void>;
  /** A delivery failed: answers since when the endpoint has been failing (now, if this starts the streak). */
  abstract noteFailure(tx: Transaction, id: string, now: Date): Promise<Date | null>;
  /** Disables an endpoint that is still enabled, answering it; null when it was not (so it is disabled once). */
  abstract disable(tx: Transaction, id: string, reason: 'gone' | 'failing', now: Date): Promise<WebhookEndpoint | null>;
}

@Injectable()
export class SqlWebhookEndpointStore extends WebhookEndpointStore {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    super();
  }

  save(tx: Transaction, endpoint: WebhookEndpoint): Promise<WebhookEndpoint> {
    return tx.getRepository(WebhookEndpoint).save(endpoint);
  }

  async delete(tx: Transaction, id: string): Promise<void> {
    await tx.getRepository(WebhookEndpoint).delete({ id });
  }

  get(id: string): Promise<WebhookEndpoint | null> {
    return this.dataSource.getRepository(WebhookEndpoint).findOneBy({ id });
  }

  lockForChange(tx: Transaction, id: string): Promise<WebhookEndpoint | null> {
    return tx.getRepository(WebhookEndpoint).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  async page(limit: number, offset: number): Promise<{ items: WebhookEndpoint[]; total: number }> {
    const [items, total] = await this.dataSource
      .getRepository(WebhookEndpoint)
      .findAndCount({ order: { createdAt: 'ASC', id: 'ASC' }, take: limit, skip: offset });
    return { items, total };
  }

  listEnabled(): Promise<WebhookEndpoint[]> {
    return this.dataSource.getRepository(WebhookEndpoint).findBy({ enabled: true });
  }

  async noteSuccess(tx: Transaction, ids: string[]): Promise<void> {
    if (!ids.length) return;
    await tx.query(`UPDATE broker.webhook_endpoint SET failing_since = NULL WHERE id = ANY($1::uuid[]) AND failing_since IS NOT NULL`, [ids]);
  }

  async noteFailure(tx: Transaction, id: string, now: Date): Promise<Date | null> {
    const [rows]: [{ failing_since: Date }[], number] = await tx.query(
      `UPDATE broker.webhook_endpoint SET failing_since = coalesce(failing_since, $2) WHERE id = $1 RETURNING failing_since`,
      [id, now],
    );
    return rows[0] ? new Date(rows[0].failing_since) : null;
  }

  async disable(tx: Transaction, id: string, reason: 'gone' | 'failing', now: Date): Promise<WebhookEndpoint | null> {
    const [rows]: [{ id: string }[], number] = await tx.query(
      `UPDATE broker.webhook_endpoint SET enabled = false, disabled_reason = $2, updated_at = $3 WHERE id = $1 AND enabled RETURNING id`,
      [id, reason, now],
    );
    return rows.length ? tx.getRepository(WebhookEndpoint).findOneBy({ id }) : null;
  }
}
