import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { InjectDataSource } from '@nestjs/typeorm';
import { Events, type EventEnvelope, type IntegrationChangedEvent, type TokenRevokedEvent } from '@tessera/contracts';
import { applyOnce, EventOutbox } from '@tessera/persistence';
import { DataSource } from 'typeorm';
import { ClientDirectory } from '../clients/client-directory.js';
import { RevocationService } from './revocation.service.js';

/** Keeps auth-server in step with the registry: fresh client records, and instant revocation when access is taken away. */
@Controller()
export class IntegrationEventsHandler {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clients: ClientDirectory,
    private readonly revocations: RevocationService,
    private readonly outbox: EventOutbox,
  ) {}

  @EventPattern([Events.integrationCreated, Events.integrationUpdated, Events.integrationDeleted])
  async onIntegrationChanged(@Payload() event: EventEnvelope<IntegrationChangedEvent>): Promise<void> {
    this.clients.evict(event.data.applicationId);
    if (!event.data.revokeTokens) return;
    const reason = (event.data.reason ?? 'integration_disabled') as TokenRevokedEvent['reason'];
    await applyOnce(this.dataSource, event, (manager) => this.revocations.revokeClient(manager, event.data.applicationId, reason));
    this.clients.evict(event.data.applicationId);
    void this.outbox.flush();
  }
}
