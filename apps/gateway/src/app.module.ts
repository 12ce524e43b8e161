import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { RuntimeModule, type ServiceRuntime } from '@tessera/runtime';
import { HealthController } from './health/health.controller.js';
import { PermissionGuard } from './http/admin.guard.js';
import { InstancesController } from './instances/instances.controller.js';

export function gatewayModule(runtime: ServiceRuntime) {
  @Module({
    imports: [RuntimeModule.forRoot(runtime), TerminusModule.forRoot({ logger: false, errorLogStyle: 'json' })],
    controllers: [HealthController, InstancesController],
    providers: [PermissionGuard],
  })
  class GatewayModule {}
  return GatewayModule;
}
