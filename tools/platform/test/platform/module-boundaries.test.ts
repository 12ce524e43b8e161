import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/processes.js';

/**
 * The module boundaries (eslint.boundaries.js over the Nx tags) as `npm run lint` applies them: each case lints one
 * line of source as if it were a file at that path, through the repo's own eslint.config.js.
 */
const eslint = new ESLint({ cwd: repoRoot });

async function boundaryErrors(filePath: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${source}\nexport const used = x;\n`, { filePath });
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('lint refuses an import across a boundary', () => {
  it.each([
    ['contracts import anything of ours', 'libs/contracts/src/fixture.ts', "import { x } from '@tessera/permissions';"],
    ['crypto reads configuration', 'libs/crypto/src/fixture.ts', "import type { TesseraConfig as x } from '@tessera/config';"],
    ['crypto logs', 'libs/crypto/src/fixture.ts', "import { createLogger as x } from '@tessera/observability';"],
    ['persistence uses the bus', 'libs/persistence/src/fixture.ts', "import type { Bus as x } from '@tessera/messaging';"],
    ['the gateway loads the service runtime', 'apps/gateway/src/fixture.ts', "import { bootMicroservice as x } from '@tessera/service-runtime';"],
    ['the gateway loads persistence', 'apps/gateway/src/fixture.ts', "import { EventOutbox as x } from '@tessera/persistence';"],
    ['the gateway loads TypeORM', 'apps/gateway/src/fixture.ts', "import { DataSource as x } from 'typeorm';"],
    ['the gateway loads pg', 'apps/gateway/src/fixture.ts', "import x from 'pg';"],
    ['the edge runtime loads persistence', 'libs/runtime/src/fixture.ts', "import { EventOutbox as x } from '@tessera/persistence';"],
    ['an app imports another app', 'apps/gateway/src/fixture.ts', "import { startAuthServer as x } from '@tessera/auth-server';"],
    ['an app imports the launcher', 'apps/auth-server/src/fixture.ts', "import { startPlatform as x } from '@tessera/platform';"],
    ['product code imports the test helpers', 'apps/auth-server/src/fixture.ts', "import { testConfig as x } from '@tessera/testing';"],
    ['a library imports an app', 'libs/messaging/src/fixture.ts', "import { startGateway as x } from '@tessera/gateway';"],
    [
      'a library test imports an app',
      'libs/broker-client/test/fixture.test.ts',
      "import { startOutboundTokenBroker as x } from '@tessera/outbound-token-broker';",
    ],
    ['a util library imports the runtime', 'libs/messaging/src/fixture.ts', "import { RUNTIME as x } from '@tessera/runtime';"],
    ['the verifier imports the bus', 'libs/verifier/src/fixture.ts', "import { NatsBus as x } from '@tessera/messaging';"],
    ['the test helpers import an app', 'libs/testing/src/fixture.ts', "import { startGateway as x } from '@tessera/gateway';"],
    ['the console bundles the bus', 'apps/console/src/fixture.ts', "import { BusClient as x } from '@tessera/messaging';"],
    ['a project imports another by path', 'apps/gateway/src/fixture.ts', "import { x } from '../../../libs/contracts/src/index.js';"],
  ])('%s', async (_case, filePath, source) => {
    const errors = await boundaryErrors(filePath, source);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/may not import|never by path/);
  });
});

describe('lint allows what the constraints allow', () => {
  it.each([
    [
      'an app imports libs',
      'apps/gateway/src/fixture.ts',
      "import { RUNTIME as x } from '@tessera/runtime';\nimport { Subjects } from '@tessera/contracts';\nSubjects;",
    ],
    ['a service boots through the service runtime', 'apps/auth-server/src/fixture.ts', "import { bootMicroservice as x } from '@tessera/service-runtime';"],
    ['an app test uses the test helpers', 'apps/auth-server/test/fixture.test.ts', "import { testConfig as x } from '@tessera/testing';"],
    ['a library test uses the test helpers', 'libs/messaging/test/fixture.test.ts', "import { startOwnNats as x } from '@tessera/testing';"],
    ['permissions build on the contracts grammar', 'libs/permissions/src/fixture.ts', "import { parsePermission as x } from '@tessera/contracts';"],
    ['persistence logs', 'libs/persistence/src/fixture.ts', "import type { Logger as x } from '@tessera/observability';"],
    ['the launcher composes the apps', 'tools/platform/src/fixture.ts', "import { startGateway as x } from '@tessera/gateway';"],
    ['the console uses the permission grammar', 'apps/console/src/fixture.ts', "import { parsePermission as x } from '@tessera/permissions';"],
  ])('%s', async (_case, filePath, source) => {
    expect(await boundaryErrors(filePath, source)).toEqual([]);
  });
});
