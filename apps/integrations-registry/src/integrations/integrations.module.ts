import { Module } from '@nestjs/common';
import { ClientSecrets } from './client-secret.js';
import { IntegrationsHandler } from './integrations.handler.js';
import { IntegrationsService } from './integrations.service.js';
import { IntegrationStore } from './integration.store.js';

@Module({
  controllers: [IntegrationsHandler],
  providers: [IntegrationsService, IntegrationStore, ClientSecrets],
  exports: [IntegrationsService],
})
export class IntegrationsModule {}
