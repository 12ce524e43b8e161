import { Module } from '@nestjs/common';
import { IntegrationsModule } from '../integrations/integrations.module.js';
import { InstanceTokensHandler } from './instance-tokens.handler.js';
import { InstanceTrustService } from './instance-trust.service.js';
import { PlatformInstancesHandler } from './platform-instances.handler.js';
import { PlatformInstancesService } from './platform-instances.service.js';

@Module({
  imports: [IntegrationsModule],
  controllers: [PlatformInstancesHandler, InstanceTokensHandler],
  providers: [PlatformInstancesService, InstanceTrustService],
})
export class PlatformInstancesModule {}
