import { Module } from '@nestjs/common';
import { IntegrationsModule } from '../integrations/integrations.module.js';
import { PlatformInstancesHandler } from './platform-instances.handler.js';
import { PlatformInstancesService } from './platform-instances.service.js';

@Module({
  imports: [IntegrationsModule],
  controllers: [PlatformInstancesHandler],
  providers: [PlatformInstancesService],
})
export class PlatformInstancesModule {}
