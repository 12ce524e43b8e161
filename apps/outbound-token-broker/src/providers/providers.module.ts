import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module.js';
import { OutboundTokenModule } from '../outbound-token/outbound-token.module.js';
import { PlatformClientAssertions } from '../oauth/platform-client-assertions.js';
import { BrokerSecretsModule } from '../secrets/broker-secrets.js';
import { ProviderStore, SqlProviderStore } from './provider.store.js';
import { ProvidersHandler } from './providers.handler.js';
import { ProviderTestService } from './provider-test.service.js';
import { ProvidersService } from './providers.service.js';

@Module({
  imports: [BrokerSecretsModule, OutboundTokenModule, CatalogModule],
  controllers: [ProvidersHandler],
  providers: [ProvidersService, ProviderTestService, PlatformClientAssertions, { provide: ProviderStore, useClass: SqlProviderStore }],
  exports: [ProvidersService, ProviderStore],
})
export class ProvidersModule {}
