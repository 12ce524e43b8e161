import { PlatformClientKey } from './client-keys/platform-client-key.entity.js';
import { PlatformInstance } from './instances/platform-instance.entity.js';
import { Integration } from './integrations/integration.entity.js';
import { Initial1764000000000 } from './migrations/1764000000000-initial.js';
import { Integrations1764100000000 } from './migrations/1764100000000-integrations.js';
import { InstanceAuth1764200000000 } from './migrations/1764200000000-instance-auth.js';
import { InstanceToken1764300000000 } from './migrations/1764300000000-instance-token.js';
import { IntegrationRevision1764400000000 } from './migrations/1764400000000-integration-revision.js';
import { IntegrationGrantTypes1764500000000 } from './migrations/1764500000000-integration-grant-types.js';
import { TokensProxyPermission1765160000000 } from './migrations/1765160000000-tokens-proxy-permission.js';
import { GrantGrowth1765160001000 } from './migrations/1765160001000-grant-growth.js';
import { ClientAuthentication1765300000000 } from './migrations/1765300000000-client-authentication.js';
import { PlatformClientKeys1767800000001 } from './migrations/1767800000001-platform-client-keys.js';

/** The registry's schema: its tables and the migrations that build them, for the service and for its stores' specs. */
export const REGISTRY_SCHEMA = {
  schema: 'registry',
  entities: [PlatformInstance, Integration, PlatformClientKey],
  migrations: [
    Initial1764000000000,
    Integrations1764100000000,
    InstanceAuth1764200000000,
    InstanceToken1764300000000,
    IntegrationRevision1764400000000,
    IntegrationGrantTypes1764500000000,
    TokensProxyPermission1765160000000,
    GrantGrowth1765160001000,
    ClientAuthentication1765300000000,
    PlatformClientKeys1767800000001,
  ],
};
