import { Module } from '@nestjs/common';
import { ProvidersModule } from '../providers/providers.module.js';
import { AuthorizationRequestStore } from './authorization-request.store.js';
import { AuthorizationService } from './authorization.service.js';
import { TokenAccessService } from './token-access.service.js';
import { TokensHandler } from './tokens.handler.js';
import { TokensService } from './tokens.service.js';

@Module({
  imports: [ProvidersModule],
  controllers: [TokensHandler],
  providers: [TokensService, AuthorizationService, AuthorizationRequestStore, TokenAccessService],
})
export class TokensModule {}
