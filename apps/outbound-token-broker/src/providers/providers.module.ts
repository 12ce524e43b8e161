import { Module } from '@nestjs/common';
import { OutboundTokenModule } from '../outbound-token/outbound-token.module.js';
import { BrokerSecretsModule } from '../secrets/broker-secrets.js';
import { ProviderStore, SqlProviderStore } from './provider.store.js';
import { ProvidersHandler } from './providers.handler.js';
import { ProviderTestService } from './provider-test.service.js';
import { ProvidersService } from './providers.service.js';

@Module({
  imports: [BrokerSecretsModule, OutboundTokenModule],
  controllers: [ProvidersHandler],
  providers: [ProvidersService, ProviderTestService, { provide: ProviderStore, useClass: SqlProviderStore }],
  exports: [ProvidersService, ProviderStore],
})
export class ProvidersModule {}
