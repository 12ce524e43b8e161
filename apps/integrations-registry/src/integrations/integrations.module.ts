import { Module } from '@nestjs/common';
import { ClientSecrets } from './client-secret.js';
import { IntegrationsHandler } from './integrations.handler.js';
import { IntegrationsService } from './integrations.service.js';
import { IntegrationStore, SqlIntegrationStore } from './integration.store.js';

@Module({
  controllers: [IntegrationsHandler],
  providers: [IntegrationsService, { provide: IntegrationStore, useClass: SqlIntegrationStore }, ClientSecrets],
  exports: [IntegrationsService],
})
export class IntegrationsModule {}
