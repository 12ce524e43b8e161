import { Module } from '@nestjs/common';
import { IntegrationsModule } from '../integrations/integrations.module.js';
import { InstanceTokensHandler } from './instance-tokens.handler.js';
import { InstanceTokensService } from './instance-tokens.service.js';
import { InstanceTrustService } from './instance-trust.service.js';
import { PlatformInstancesHandler } from './platform-instances.handler.js';
import { PlatformInstancesService } from './platform-instances.service.js';
import { PlatformInstanceStore, SqlPlatformInstanceStore } from './platform-instance.store.js';

@Module({
  imports: [IntegrationsModule],
  controllers: [PlatformInstancesHandler, InstanceTokensHandler],
  providers: [PlatformInstancesService, InstanceTrustService, InstanceTokensService, { provide: PlatformInstanceStore, useClass: SqlPlatformInstanceStore }],
})
export class PlatformInstancesModule {}
