import { Module } from '@nestjs/common';
import { ClientSecrets } from './client-secret.js';
import { IntegrationsHandler } from './integrations.handler.js';
import { IntegrationsService } from './integrations.service.js';

@Module({
  controllers: [IntegrationsHandler],
  providers: [IntegrationsService, ClientSecrets],
  exports: [IntegrationsService],
})
export class IntegrationsModule {}
