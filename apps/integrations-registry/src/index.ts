import { Subjects } from '@tessera/contracts';
import { bootMicroservice, type MicroserviceRuntime, type RunningMicroservice } from '@tessera/service-runtime';
import { PlatformInstance } from './instances/platform-instance.entity.js';
import { PlatformInstancesModule } from './instances/platform-instances.module.js';
import { Integration } from './integrations/integration.entity.js';
import { IntegrationsModule } from './integrations/integrations.module.js';
import { Initial1764000000000 } from './migrations/1764000000000-initial.js';
import { Integrations1764100000000 } from './migrations/1764100000000-integrations.js';
import { InstanceAuth1764200000000 } from './migrations/1764200000000-instance-auth.js';
import { InstanceToken1764300000000 } from './migrations/1764300000000-instance-token.js';
import { IntegrationRevision1764400000000 } from './migrations/1764400000000-integration-revision.js';
import { TokensProxyPermission1765160000000 } from './migrations/1765160000000-tokens-proxy-permission.js';
import { GrantGrowth1765160001000 } from './migrations/1765160001000-grant-growth.js';
import { IntegrationGrantTypes1764500000000 } from './migrations/1764500000000-integration-grant-types.js';

export const SERVICE_NAME = 'integrations-registry';

/** Integrations, permissions and platform instances; schema `registry`. */
export function startIntegrationsRegistry(runtime: MicroserviceRuntime): Promise<RunningMicroservice> {
  return bootMicroservice(runtime, {
    service: SERVICE_NAME,
    schema: 'registry',
    pingSubject: Subjects.registry.ping,
    deadLetterSubject: Subjects.registry.deadLetter.list,
    entities: [PlatformInstance, Integration],
    migrations: [
      Initial1764000000000,
      Integrations1764100000000,
      InstanceAuth1764200000000,
      InstanceToken1764300000000,
      IntegrationRevision1764400000000,
      IntegrationGrantTypes1764500000000,
      TokensProxyPermission1765160000000,
      GrantGrowth1765160001000,
    ],
    imports: [IntegrationsModule, PlatformInstancesModule],
  });
}
