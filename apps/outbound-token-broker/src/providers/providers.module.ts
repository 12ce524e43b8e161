import { Module } from '@nestjs/common';
import { ProvidersHandler } from './providers.handler.js';
import { ProvidersService } from './providers.service.js';

@Module({
  controllers: [ProvidersHandler],
  providers: [ProvidersService],
  exports: [ProvidersService],
})
export class ProvidersModule {}
