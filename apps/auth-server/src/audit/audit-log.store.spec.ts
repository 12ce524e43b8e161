import type { AuditRecordedEvent, EventEnvelope } from '@tessera/contracts';
import { openStoreDatabase, type StoreDatabase } from '@tessera/testing';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH_SCHEMA } from '../auth-schema.js';
import { SqlAuditLogStore } from './audit-log.store.js';

let db: StoreDatabase;
let store: SqlAuditLogStore;

function event(action: string, occurredAt: Date, data: Partial<AuditRecordedEvent> = {}): EventEnvelope<AuditRecordedEvent> {
  return {
    id: randomUUID(),
    type: 'tessera.events.audit.recorded',
    occurredAt: occurredAt.toISOString(),
    data: {
      service: 'test',
      action,
      outcome: 'success',
      actor: { type: 'user', id: 'u1', name: 'ada' },
      target: { type: 'integration', name: 'acme' },
      ...data,
    } as AuditRecordedEvent,
  };
}

beforeAll(async () => {
  db = await openStoreDatabase(AUTH_SCHEMA);
  store = new SqlAuditLogStore(db.dataSource);
});
afterAll(() => db?.close());

describe('SqlAuditLogStore', () => {
  it('keeps one entry per event, and pages newest first by filters and position', async () => {
    const base = Date.now();
    const events = [
      event('integration.create', new Date(base)),
      event('integration.update', new Date(base + 1000)),
      event('provider.create', new Date(base + 2000)),
    ];
    for (const e of events) await db.transactions.run((tx) => store.append(tx, e, 'test'));
    await db.transactions.run((tx) => store.append(tx, events[0], 'test'));
    expect(await store.page({ limit: 10 })).toHaveLength(3);
    const withClientId = event('integration.delete', new Date(base - 1000), { clientRequestId: 'client-chosen-1' });
    await db.transactions.run((tx) => store.append(tx, withClientId, 'test'));
    expect((await store.page({ limit: 10 })).find((r) => r.id === withClientId.id)?.client_request_id).toBe('client-chosen-1');
    const integrations = await store.page({ action: 'integration.', limit: 10 });
    expect(integrations.map((r) => r.action)).toEqual(['integration.update', 'integration.create', 'integration.delete']);
    const after = await store.page({ limit: 10, before: [new Date(base + 2000), events[2].id] });
    expect(after.map((r) => r.id)).toEqual([events[1].id, events[0].id, withClientId.id]);
    expect(await store.page({ actor: 'ada', target: 'acme', outcome: 'failure', limit: 10 })).toEqual([]);
    expect(await store.page({ from: new Date(base + 1000).toISOString(), to: new Date(base + 2000).toISOString(), limit: 10 })).toHaveLength(1);
  });
});
