import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  BusError,
  eventOwnerOf,
  type AuditEntryView,
  type AuditPage,
  type AuditRecordedEvent,
  type EventEnvelope,
  type ListAuditQuery,
} from '@tessera/contracts';
import { applyOnce, type PruneRule } from '@tessera/persistence';
import type { RetentionConfig } from '@tessera/config';
import { DataSource } from 'typeorm';
import { PersonActors } from './person-actors.js';

interface EntryRow {
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

const DEFAULT_PAGE = 100;
/** The transaction-local setting that lets the pruner past the audit log's append-only trigger (migration 1766500000000). */
const AUDIT_PRUNE_SETTING = 'tessera.audit_prune';

/**
 * The audit log (ADR 0023): built from `audit.recorded` events, which every service writes in the transaction of the
 * change they describe. Each event is stored once (inbox, and its id is the entry's key); nothing updates or deletes
 * an entry but the pruner, past TESSERA_AUDIT_RETENTION_DAYS.
 */
@Injectable()
export class AuditLogService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly persons: PersonActors,
  ) {}

  async store(event: EventEnvelope<AuditRecordedEvent>): Promise<void> {
    // Who published it, as the subject says (only that service's credential may publish there).
    const service = eventOwnerOf(event.type);
    const e = await this.persons.vouched(service, event.data, Date.parse(event.occurredAt));
    await applyOnce(this.dataSource, event, async (manager) => {
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
    });
  }

  /** Newest first, paged by cursor (occurred_at, id): a page never repeats or skips an entry as new ones arrive. */
  async list(query: ListAuditQuery): Promise<AuditPage> {
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
    if (query.cursor) {
      const [at, id] = decodeCursor(query.cursor);
      where.push(`("occurred_at", "id") < (${param(at)}, ${param(id)})`);
    }
    const limit = query.limit ?? DEFAULT_PAGE;
    const rows: EntryRow[] = await this.dataSource.query(
      `SELECT * FROM "auth"."audit_entry" ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY "occurred_at" DESC, "id" DESC LIMIT ${limit + 1}`,
      params,
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { items: page.map(toView), nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
  }
}

/** Entries past their retention; the only deletes the append-only trigger lets through. */
export function auditPruneRules(retention: RetentionConfig): PruneRule[] {
  return [
    {
      name: 'audit_entry',
      table: '"auth"."audit_entry"',
      key: '"id"',
      guard: AUDIT_PRUNE_SETTING,
      where: '"occurred_at" < $1',
      params: (now) => [new Date(now.getTime() - retention.auditMs)],
    },
  ];
}

function toView(row: EntryRow): AuditEntryView {
  return {
    id: row.id,
    occurredAt: new Date(row.occurred_at).toISOString(),
    service: row.service,
    action: row.action,
    outcome: row.outcome,
    actor: row.actor_type && row.actor_id ? { type: row.actor_type, id: row.actor_id, ...(row.actor_name ? { name: row.actor_name } : {}) } : null,
    address: row.address,
    requestId: row.request_id,
    clientRequestId: row.client_request_id ?? null,
    target: { type: row.target_type, ...(row.target_id ? { id: row.target_id } : {}), ...(row.target_name ? { name: row.target_name } : {}) },
    ...(row.changes ? { changes: row.changes } : {}),
    ...(row.detail ? { detail: row.detail } : {}),
  };
}

function encodeCursor(row: EntryRow): string {
  return Buffer.from(`${new Date(row.occurred_at).toISOString()}|${row.id}`).toString('base64url');
}

function decodeCursor(cursor: string): [Date, string] {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const date = new Date(at ?? '');
  if (Number.isNaN(date.getTime()) || !/^[0-9a-f-]{36}$/.test(id ?? ''))
    throw new BusError('validation_failed', 'cursor must be the nextCursor of the previous page', { cursor: ['must be the nextCursor of the previous page'] });
  return [date, id];
}
