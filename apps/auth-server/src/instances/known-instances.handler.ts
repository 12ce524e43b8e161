import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { Events, type EventEnvelope, type InstanceDeletedEvent, type InstanceRegisteredEvent } from '@tessera/contracts';
import { Transactions } from '@tessera/persistence';
import { KnownInstanceStore } from './known-instance.store.js';

@Controller()
export class KnownInstancesHandler {
  constructor(
    private readonly transactions: Transactions,
    private readonly store: KnownInstanceStore,
  ) {}

  @EventPattern(Events.instanceRegistered)
  async onInstanceRegistered(@Payload() event: EventEnvelope<InstanceRegisteredEvent>): Promise<void> {
    await this.transactions.applyOnce(event, (tx) =>
      this.store.put(tx, { instanceId: event.data.instanceId, name: event.data.name, registeredAt: new Date(event.data.registeredAt) }),
    );
  }

  /** A deleted instance's name may be registered again, for another instance: the copy goes with the record. */
  @EventPattern(Events.instanceDeleted)
  async onInstanceDeleted(@Payload() event: EventEnvelope<InstanceDeletedEvent>): Promise<void> {
    await this.transactions.applyOnce(event, (tx) => this.store.delete(tx, event.data.instanceId));
  }
}
