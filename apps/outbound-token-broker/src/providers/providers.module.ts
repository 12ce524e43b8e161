import { Module } from '@nestjs/common';
import { ProvidersHandler } from './providers.handler.js';
import { ProviderTestService } from './provider-test.service.js';
import { ProvidersService } from './providers.service.js';

@Module({
  controllers: [ProvidersHandler],
  providers: [ProvidersService, ProviderTestService],
  exports: [ProvidersService],
})
export class ProvidersModule {}
