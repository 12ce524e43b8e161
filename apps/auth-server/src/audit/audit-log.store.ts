import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { AuditEntryView, AuditRecordedEvent, EventEnvelope, ListAuditQuery } from '@tessera/contracts';
import type { Transaction } from '@tessera/persistence';
import { DataSource } from 'typeorm';

export interface EntryRow {
  id: string;
  occurred_at: Date;
  service: string;
  action: string;
  outcome: AuditEntryView['outcome'];
  actor_type: 'user' | 'integration' | null;
  actor_id: string | null;
  actor_name: string | null;
  address: string | null;
  request_id: string | null;
  client_request_id: string | null;
  target_type: string;
  target_id: string | null;
  target_name: string | null;
  changes: AuditEntryView['changes'] | null;
  detail: AuditEntryView['detail'] | null;
}

/** Which entries a page shows: the query's filters, entries before `before` (a cursor's position), at most `limit`. */
export interface AuditFilter extends Omit<ListAuditQuery, 'cursor' | 'limit'> {
  before?: [Date, string];
  limit: number;
}

/** Where the audit log is kept, in auth-server's words (ADR 0032). Nothing updates or deletes an entry but the pruner. */
export abstract class AuditLogStore {
  /**
   * Stores an entry from its event, in the transaction that records the event as applied; a second copy is ignored.
   * `service` is the publisher the event's subject names, not what the event says of itself.
   */
  abstract append(tx: Transaction, event: EventEnvelope<AuditRecordedEvent>, service: string | undefined): Promise<void>;
  /** Newest first, by (occurred_at, id). */
  abstract page(filter: AuditFilter): Promise<EntryRow[]>;
}

/** The audit log in auth-server's Postgres schema. */
@Injectable()
export class SqlAuditLogStore extends AuditLogStore {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    super();
  }

  async append(manager: Transaction, event: EventEnvelope<AuditRecordedEvent>, service: string | undefined): Promise<void> {
    const e = event.data;
    await manager.query(
      `INSERT INTO "auth"."audit_entry" ("id", "occurred_at", "service", "action", "outcome", "actor_type", "actor_id", "actor_name", "address", "request_id", "target_type", "target_id", "target_name", "changes", "detail", "client_request_id")
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) ON CONFLICT ("id") DO NOTHING`,
      [
        event.id,
        new Date(event.occurredAt),
        service ?? 'unknown',
        e.action,
        e.outcome ?? 'success',
        e.actor?.type ?? null,
        e.actor?.id ?? null,
        e.actor?.name ?? null,
        e.address ?? null,
        e.requestId ?? null,
        e.target?.type ?? 'unknown',
        e.target?.id ?? null,
        e.target?.name ?? null,
        e.changes ? JSON.stringify(e.changes) : null,
        e.detail ? JSON.stringify(e.detail) : null,
        e.clientRequestId ?? null,
      ],
    );
  }

  page(query: AuditFilter): Promise<EntryRow[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (value: unknown) => `$${params.push(value)}`;
    if (query.actor) {
      const p = param(query.actor);
      where.push(`("actor_id" = ${p} OR "actor_name" = ${p})`);
    }
    if (query.action) where.push(query.action.endsWith('.') ? `starts_with("action", ${param(query.action)})` : `"action" = ${param(query.action)}`);
    if (query.target) {
      const p = param(query.target);
      where.push(`("target_id" = ${p} OR "target_name" = ${p} OR "target_type" = ${p})`);
    }
    if (query.outcome) where.push(`"outcome" = ${param(query.outcome)}`);
    if (query.from) where.push(`"occurred_at" >= ${param(new Date(query.from))}`);
    if (query.to) where.push(`"occurred_at" < ${param(new Date(query.to))}`);
    if (query.before) {
      const [at, id] = query.before;
      where.push(`("occurred_at", "id") < (${param(at)}, ${param(id)})`);
    }
    return this.dataSource.query(
      `SELECT * FROM "auth"."audit_entry" ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY "occurred_at" DESC, "id" DESC LIMIT ${query.limit}`,
      params,
    );
  }
}
