import { Module } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import { TerminusModule } from '@nestjs/terminus';
import { RuntimeModule, type ServiceRuntime } from '@tessera/runtime';
import { AdminUsersController } from './admins/admin-users.controller.js';
import { ActorAttestation } from './audit/actor-attestation.js';
import { AuditController } from './audit/audit.controller.js';
import { AdminSessionController } from './auth/admin-session.controller.js';
import { ConsoleSessionCookie } from './auth/console-session-cookie.js';
import { DeadLettersController } from './dead-letters/dead-letters.controller.js';
import { BearerStrategy } from './auth/bearer.strategy.js';
import { GatewayTokenVerifier } from './auth/token-verifier.provider.js';
import { WhoAmIController } from './auth/whoami.controller.js';
import { EventsStreamController } from './events/events-stream.controller.js';
import { EventStreamLimits } from './events/event-stream-limits.js';
import { AuthorizationCallbackController } from './broker/callback.controller.js';
import { CatalogController } from './broker/catalog.controller.js';
import { ProvidersController } from './broker/providers.controller.js';
import { ProviderJwksController } from './broker/provider-jwks.controller.js';
import { WebhooksController } from './broker/webhooks.controller.js';
import { ProxyController, UpstreamProxy } from './broker/proxy.controller.js';
import { ProxyMetrics } from './broker/proxy-metrics.js';
import { TokenUseController } from './broker/token-use.controller.js';
import { TokensController } from './broker/tokens.controller.js';
import { HealthController } from './health/health.controller.js';
import { PermissionGuard } from './http/permission.guard.js';
import { ClientKeysController } from './instances/client-keys.controller.js';
import { InstancesController } from './instances/instances.controller.js';
import { IntegrationsController } from './integrations/integrations.controller.js';
import { AuthorizeController } from './oauth/authorize.controller.js';
import { OAuthController } from './oauth/oauth.controller.js';
import { SsfAdminController } from './ssf/ssf-admin.controller.js';
import { SsfController } from './ssf/ssf.controller.js';
import { TokenEndpointMetrics } from './oauth/token-endpoint-metrics.js';

export function gatewayModule(runtime: ServiceRuntime) {
  @Module({
    imports: [RuntimeModule.forRoot(runtime), PassportModule, TerminusModule.forRoot({ logger: false, errorLogStyle: 'json' })],
    controllers: [
      HealthController,
      OAuthController,
      SsfController,
      SsfAdminController,
      AdminSessionController,
      AdminUsersController,
      AuditController,
      DeadLettersController,
      WhoAmIController,
      AuthorizeController,
      InstancesController,
      ClientKeysController,
      IntegrationsController,
      EventsStreamController,
      // outbound token broker
      ProvidersController,
      ProviderJwksController,
      WebhooksController,
      CatalogController,
      TokensController,
      AuthorizationCallbackController,
      TokenUseController,
      ProxyController,
    ],
    providers: [
      ConsoleSessionCookie,
      EventStreamLimits,
      GatewayTokenVerifier,
      BearerStrategy,
      PermissionGuard,
      UpstreamProxy,
      ProxyMetrics,
      TokenEndpointMetrics,
      ActorAttestation,
    ],
  })
  class GatewayModule {}
  return GatewayModule;
}
