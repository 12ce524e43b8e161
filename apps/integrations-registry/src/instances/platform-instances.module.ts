import { Module } from '@nestjs/common';
import { PlatformInstancesHandler } from './platform-instances.handler.js';
import { PlatformInstancesService } from './platform-instances.service.js';

@Module({
  controllers: [PlatformInstancesHandler],
  providers: [PlatformInstancesService],
})
export class PlatformInstancesModule {}
