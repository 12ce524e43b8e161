import type { EventEnvelope } from '@tessera/contracts';
import type { DataSource, EntityManager } from 'typeorm';
import { ProcessedEvent } from './messaging-tables.js';

/**
 * Applies an event at most once: the event id is recorded in the same transaction as the work, so a redelivery
 * (the bus guarantees at-least-once) finds it and does nothing. Returns false when the event was already applied.
 */
export async function applyOnce(dataSource: DataSource, event: EventEnvelope, work: (manager: EntityManager) => Promise<void>): Promise<boolean> {
  return dataSource.transaction(async (manager) => {
    const inserted = await manager
      .createQueryBuilder()
      .insert()
      .into(ProcessedEvent)
      .values({ eventId: event.id, type: event.type })
      .orIgnore()
      .returning(['eventId'])
      .execute();
    if (!inserted.raw?.length) return false;
    await work(manager);
    return true;
  });
}
