import type { EventEnvelope } from '@tessera/contracts';
import type { DataSource, EntityManager } from 'typeorm';
import { applyOnce } from './inbox.js';

/**
 * The transaction a change runs in. A service opens it and hands it to each store (and to the outbox and the audit
 * trail) taking part in the change; only stores look inside it, so services and handlers hold no ORM (ADR 0032).
 */
export type Transaction = EntityManager;

/** Opens the transactions a service's changes run in: the one way a service spans several stores atomically. */
export class Transactions {
  constructor(private readonly dataSource: DataSource) {}

  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  run<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /**
   * Applies an event at most once: `work` runs in the transaction that records the event's id, so a redelivery finds
   * it and does nothing. Answers false when the event had been applied already.
   */
  applyOnce(event: EventEnvelope, work: (tx: Transaction) => Promise<void>): Promise<boolean> {
    return applyOnce(this.dataSource, event, work);
  }
}
