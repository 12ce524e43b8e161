import { Subjects } from '@tessera/contracts';
import { bootMicroservice, type RunningMicroservice, type ServiceRuntime } from '@tessera/runtime';
import { PlatformInstance } from './instances/platform-instance.entity.js';
import { PlatformInstancesModule } from './instances/platform-instances.module.js';
import { Initial1764000000000 } from './migrations/1764000000000-initial.js';

export const SERVICE_NAME = 'integrations-registry';

/** Integrations, permissions and platform instances; schema `registry`. */
export function startIntegrationsRegistry(runtime: ServiceRuntime): Promise<RunningMicroservice> {
  return bootMicroservice(runtime, {
    service: SERVICE_NAME,
    schema: 'registry',
    pingSubject: Subjects.registry.ping,
    entities: [PlatformInstance],
    migrations: [Initial1764000000000],
    imports: [PlatformInstancesModule],
  });
}
