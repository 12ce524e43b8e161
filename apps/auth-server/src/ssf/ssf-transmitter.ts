import { Inject, Injectable } from '@nestjs/common';
import type { Clock } from '@tessera/observability';
import type { Transaction } from '@tessera/persistence';
import { CLOCK } from '@tessera/runtime';
import type { SecurityEvent } from './caep-events.js';
import { SsfDelivery } from './ssf-delivery.js';
import { SsfMetrics } from './ssf-metrics.js';
import type { SsfPendingSet } from './ssf-stream.entity.js';
import { SsfStore } from './ssf.store.js';

/**
 * Turns a CAEP event into a SET for every stream that asked for its type and one of its subjects, in the transaction
 * that applies the platform event it comes from: applied once (inbox), queued once, delivered at least once.
 */
@Injectable()
export class SsfTransmitter {
  constructor(
    private readonly store: SsfStore,
    private readonly delivery: SsfDelivery,
    private readonly metrics: SsfMetrics,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async queue(tx: Transaction, event: SecurityEvent): Promise<number> {
    const streams = (await this.store.streamsFor(tx, event.keys)).filter((stream) => stream.eventsRequested.includes(event.type));
    const now = this.clock.now();
    const iat = Math.floor(now.getTime() / 1000);
    const sets: SsfPendingSet[] = streams.map((stream) => {
      const jti = this.clock.uuid();
      return {
        jti,
        streamId: stream.id,
        claims: { jti, iat, txn: event.txn, sub_id: event.subId, events: { [event.type]: event.payload } },
        createdAt: now,
        attempts: 0,
        nextAttemptAt: now,
        lastError: null,
      };
    });
    await this.store.enqueue(tx, sets);
    this.metrics.setsQueued(sets);
    return streams.length;
  }

  /** After the transaction committed: push what it queued now. */
  flush(): void {
    this.delivery.kick();
  }
}
