import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { RuntimeModule, type ServiceRuntime } from '@tessera/runtime';
import { AuthorizationCallbackController } from './broker/callback.controller.js';
import { ProvidersController } from './broker/providers.controller.js';
import { ProxyController } from './broker/proxy.controller.js';
import { TokenUseController } from './broker/token-use.controller.js';
import { TokensController } from './broker/tokens.controller.js';
import { HealthController } from './health/health.controller.js';
import { PermissionGuard } from './http/admin.guard.js';
import { InstancesController } from './instances/instances.controller.js';

export function gatewayModule(runtime: ServiceRuntime) {
  @Module({
    imports: [RuntimeModule.forRoot(runtime), TerminusModule.forRoot({ logger: false, errorLogStyle: 'json' })],
    controllers: [
      HealthController, InstancesController,
      // outbound token broker (issue 4)
      ProvidersController, TokensController, AuthorizationCallbackController, TokenUseController, ProxyController,
    ],
    providers: [PermissionGuard],
  })
  class GatewayModule {}
  return GatewayModule;
}
