import { Module } from '@nestjs/common';
import { BrokerSecretsModule } from '../secrets/broker-secrets.js';
import { ProvidersHandler } from './providers.handler.js';
import { ProviderTestService } from './provider-test.service.js';
import { ProvidersService } from './providers.service.js';

@Module({
  imports: [BrokerSecretsModule],
  controllers: [ProvidersHandler],
  providers: [ProvidersService, ProviderTestService],
  exports: [ProvidersService],
})
export class ProvidersModule {}
