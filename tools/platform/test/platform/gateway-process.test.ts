import { eventually } from '@tessera/testing';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDist, killIfRunning, repoRoot, runNode, type TesseraProcess } from '../support/processes.js';
import { ADMIN_PASSWORD, login } from '../support/sign-in.js';
import { startTestPlatform, type TestPlatform } from '../support/test-platform.js';

// Preloaded into the child: it dies at once, naming the module, if anything loads TypeORM or pg (ESM or CommonJS).
const REFUSE_DATABASE_MODULES = `--import=${pathToFileURL(join(repoRoot, 'tools/platform/test/support/refuse-database-modules.mjs'))}`;

describe('the gateway process opens no database', () => {
  let services: TestPlatform;
  let gateway: TesseraProcess | undefined;
  let control: TesseraProcess | undefined;
  // The three services in this process; the gateway in its own, distributed mode, as the launcher runs it.
  const gatewayEnvironment = () => ({
    NATS_URL: services.config.natsUrl!,
    TESSERA_SUBJECT_PREFIX: services.config.subjectPrefix,
    TESSERA_ENCRYPTION_KEY: services.config.encryptionKey!,
    TESSERA_ISSUER: services.config.issuer,
    PORT: new URL(services.config.issuer).port,
    TESSERA_BUS_TIMEOUT_MS: '2000',
    LOG_LEVEL: 'warn',
    NODE_OPTIONS: REFUSE_DATABASE_MODULES,
  });

  beforeAll(async () => {
    buildDist();
    services = await startTestPlatform({ services: ['auth-server', 'integrations-registry', 'outbound-token-broker'] });
  });
  afterAll(async () => {
    await killIfRunning([gateway, control]);
    await services?.stop();
  });

  it('starts without DATABASE_URL, never loads typeorm or pg, and serves requests through the services', { timeout: 60_000 }, async () => {
    gateway = runNode('apps/gateway/dist/main.js', gatewayEnvironment());
    const url = services.config.issuer;
    await eventually(async () => (await fetch(`${url}/health`)).status === 200, 20_000, 100).catch((error) => {
      throw new Error(`${error}\n${gateway!.output()}`);
    });
    expect((await login(url, 'admin', ADMIN_PASSWORD)).status).toBe(200);
    expect(gateway.child.exitCode).toBeNull();
    expect(gateway.output()).not.toMatch(/refused module|DATABASE_URL/);
  });

  it('the same preload stops a database-backed service at once (so it would have caught the gateway)', { timeout: 30_000 }, async () => {
    control = runNode('apps/auth-server/dist/main.js', { ...gatewayEnvironment(), DATABASE_URL: services.db.url });
    const exit = await control.exited;
    expect(exit.code).not.toBe(0);
    expect(control.output()).toMatch(/refused module: (typeorm|pg|@tessera\/persistence|@tessera\/service-runtime)/);
  });
});
