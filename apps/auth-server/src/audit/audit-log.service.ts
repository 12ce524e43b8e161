import { Injectable } from '@nestjs/common';
import {
  BusError,
  eventOwnerOf,
  type AuditEntryView,
  type AuditPage,
  type AuditRecordedEvent,
  type EventEnvelope,
  type ListAuditQuery,
} from '@tessera/contracts';
import { Transactions, type PruneRule } from '@tessera/persistence';
import type { RetentionConfig } from '@tessera/config';
import { AuditLogStore, type EntryRow } from './audit-log.store.js';
import { PersonActors } from './person-actors.js';

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
    private readonly transactions: Transactions,
    private readonly entries: AuditLogStore,
    private readonly persons: PersonActors,
  ) {}

  async store(event: EventEnvelope<AuditRecordedEvent>): Promise<void> {
    // Who published it, as the subject says (only that service's credential may publish there).
    const service = eventOwnerOf(event.type);
    const e = await this.persons.vouched(service, event.data, Date.parse(event.occurredAt));
    await this.transactions.applyOnce(event, (tx) => this.entries.append(tx, { ...event, data: e }, service));
  }

  /** Newest first, paged by cursor (occurred_at, id): a page never repeats or skips an entry as new ones arrive. */
  async list(query: ListAuditQuery): Promise<AuditPage> {
    const limit = query.limit ?? DEFAULT_PAGE;
    const { cursor: _cursor, limit: _limit, ...filters } = query;
    // One more than asked: whether it comes back says whether there is a next page.
    const rows = await this.entries.page({ ...filters, before: query.cursor ? decodeCursor(query.cursor) : undefined, limit: limit + 1 });
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
