import { Subjects } from '@tessera/contracts';
import { bootMicroservice, type MicroserviceRuntime, type RunningMicroservice } from '@tessera/service-runtime';
import { PlatformClientKeysModule } from './client-keys/platform-client-keys.module.js';
import { PlatformInstancesModule } from './instances/platform-instances.module.js';
import { IntegrationsModule } from './integrations/integrations.module.js';
import { REGISTRY_SCHEMA } from './registry-schema.js';

export const SERVICE_NAME = 'integrations-registry';

/** Integrations, permissions and platform instances; schema `registry`. */
export function startIntegrationsRegistry(runtime: MicroserviceRuntime): Promise<RunningMicroservice> {
  return bootMicroservice(runtime, {
    service: SERVICE_NAME,
    ...REGISTRY_SCHEMA,
    pingSubject: Subjects.registry.ping,
    deadLetterSubject: Subjects.registry.deadLetter.list,
    imports: [IntegrationsModule, PlatformInstancesModule, PlatformClientKeysModule],
  });
}
