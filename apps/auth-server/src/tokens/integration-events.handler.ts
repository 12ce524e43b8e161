import { Controller } from '@nestjs/common';
import { EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import { Events, Subjects, type EventEnvelope, type IntegrationChangedEvent } from '@tessera/contracts';
import { IntegrationChangesService } from './integration-changes.service.js';

/** Keeps auth-server in step with the registry: the change in force, and instant revocation when access is taken away. */
@Controller()
export class IntegrationEventsHandler {
  constructor(private readonly changes: IntegrationChangesService) {}

  /** The registry waits for this answer before it answers the admin. */
  @MessagePattern(Subjects.auth.client.applyChange)
  async applyChange(@Payload() payload: EventEnvelope<IntegrationChangedEvent>): Promise<{ applied: true }> {
    await this.changes.apply(payload);
    return { applied: true };
  }

  /** The same change as a durable event: applied once (inbox), whichever arrives first. */
  @EventPattern([Events.integrationCreated, Events.integrationUpdated, Events.integrationDeleted])
  async onIntegrationChanged(@Payload() event: EventEnvelope<IntegrationChangedEvent>): Promise<void> {
    await this.changes.apply(event);
  }
}
