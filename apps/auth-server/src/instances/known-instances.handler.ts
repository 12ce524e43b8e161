import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { InjectDataSource } from '@nestjs/typeorm';
import { Events, type EventEnvelope, type InstanceDeletedEvent, type InstanceRegisteredEvent } from '@tessera/contracts';
import { applyOnce } from '@tessera/persistence';
import { DataSource } from 'typeorm';
import { KnownInstance } from './known-instance.entity.js';

@Controller()
export class KnownInstancesHandler {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  @EventPattern(Events.instanceRegistered)
  async onInstanceRegistered(@Payload() event: EventEnvelope<InstanceRegisteredEvent>): Promise<void> {
    await applyOnce(this.dataSource, event, async (manager) => {
      await manager.upsert(KnownInstance, { instanceId: event.data.instanceId, name: event.data.name, registeredAt: new Date(event.data.registeredAt) }, [
        'instanceId',
      ]);
    });
  }

  /** A deleted instance's name may be registered again, for another instance: the copy goes with the record. */
  @EventPattern(Events.instanceDeleted)
  async onInstanceDeleted(@Payload() event: EventEnvelope<InstanceDeletedEvent>): Promise<void> {
    await applyOnce(this.dataSource, event, (manager) => manager.delete(KnownInstance, { instanceId: event.data.instanceId }).then(() => undefined));
  }
}
