import { type DynamicModule, Module } from '@nestjs/common';
import { OutboundTokenModule } from '../outbound-token/outbound-token.module.js';
import { ProvidersModule } from '../providers/providers.module.js';
import { BrokerSecretsModule } from '../secrets/broker-secrets.js';
import { AuthorizationRequestStore, SqlAuthorizationRequestStore } from './authorization-request.store.js';
import { AuthorizationService } from './authorization.service.js';
import { RetiredTokenNameStore, SqlRetiredTokenNameStore } from './retired-token-name.store.js';
import { TokenAccessService } from './token-access.service.js';
import { TokensHandler } from './tokens.handler.js';
import { TokensService } from './tokens.service.js';

@Module({})
export class TokensModule {
  /** `refresh`: the service's configured RefreshModule (RefreshModule.forRoot), which token access refreshes through. */
  static register(refresh: DynamicModule): DynamicModule {
    return {
      module: TokensModule,
      imports: [ProvidersModule, BrokerSecretsModule, OutboundTokenModule, refresh],
      controllers: [TokensHandler],
      providers: [
        TokensService,
        AuthorizationService,
        { provide: AuthorizationRequestStore, useClass: SqlAuthorizationRequestStore },
        { provide: RetiredTokenNameStore, useClass: SqlRetiredTokenNameStore },
        TokenAccessService,
      ],
    };
  }
}
