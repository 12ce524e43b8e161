import { nkeys } from '@nats-io/transport-node';
import { busCredentialFile } from '@tessera/config';
import { createTestDatabase, deleteEventStream, eventually, testConfig, TEST_NATS_URL, uniqueName, type TestDatabase } from '@tessera/testing';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildDist,
  childPids,
  CLI,
  ERROR_LOG_LINE,
  freePort,
  isAlive,
  killIfRunning,
  newEncryptionKey,
  runNode,
  waitUntilReady,
  type TesseraProcess,
} from '../support/processes.js';
import { ADMIN_PASSWORD as TESSERA_ADMIN_PASSWORD, adminFetch } from '../support/sign-in.js';
import { startSecuredNats, type SecuredNats } from '../support/secured-nats.js';

const AUTH_SERVER = 'apps/auth-server/dist/main.js';

/** The environment a process was started with, read from /proc (Linux). */
function environmentOf(pid: number): Record<string, string> {
  return Object.fromEntries(
    readFileSync(`/proc/${pid}/environ`, 'utf8')
      .split('\0')
      .filter(Boolean)
      .map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)]),
  );
}

let nats: SecuredNats;
let db: TestDatabase;
let scratch: string;
const running: (TesseraProcess | undefined)[] = [];

beforeAll(async () => {
  buildDist();
  [nats, db, scratch] = await Promise.all([startSecuredNats({ prefixes: ['cli'] }), createTestDatabase(), mkdtemp(join(tmpdir(), 'tessera-cli-bus-'))]);
});
afterAll(async () => {
  await killIfRunning(running);
  await nats?.stop();
  await db?.drop();
  await rm(scratch, { recursive: true, force: true });
});

describe('`npm start` and the services on a secured bus', () => {
  it('hands each service process its own credential and nothing else, and the platform works', { timeout: 90_000 }, async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const cli = runNode(CLI, {
      PORT: String(port),
      DATABASE_URL: db.url,
      NATS_URL: nats.url,
      TESSERA_SUBJECT_PREFIX: 'cli',
      TESSERA_NATS_CREDENTIALS: nats.credentials,
      TESSERA_REQUIRE_SECURE_BUS: 'true',
      TESSERA_ENCRYPTION_KEY: newEncryptionKey(),
      LOG_LEVEL: 'warn',
      TESSERA_ADMIN_PASSWORD,
      TESSERA_ISSUER: url,
    });
    running.push(cli);
    await waitUntilReady(url, cli, 45_000);
    expect(cli.output()).not.toContain('OPEN BUS');

    const children = childPids(cli.child.pid!);
    expect(children).toHaveLength(4);
    const handed = children.map(environmentOf).map((env) => ({ creds: env.NATS_CREDS, dir: env.TESSERA_NATS_CREDENTIALS }));
    expect(handed.map((h) => h.creds).sort()).toEqual(
      ['auth-server', 'gateway', 'integrations-registry', 'outbound-token-broker'].map((s) => busCredentialFile(nats.credentials, 'cli', s)).sort(),
    );
    expect(handed.every((h) => h.dir === undefined)).toBe(true);

    const created = await adminFetch(`${url}/admin/instances`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'secured-acme', baseUrl: 'https://acme.example.com' }),
    });
    expect(created.status).toBe(201);
    await eventually(async () => (await db.query('SELECT 1 FROM auth.known_instance')).length === 1);
    cli.child.kill('SIGINT');
    expect(await cli.exited).toEqual({ code: 0, signal: null });
    await eventually(async () => children.every((pid) => !isAlive(pid)), 5000);
    expect(cli.output()).not.toMatch(ERROR_LOG_LINE);
  });

  const service = (env: Record<string, string>) =>
    runNode(AUTH_SERVER, {
      DATABASE_URL: db.url,
      NATS_URL: nats.url,
      TESSERA_SUBJECT_PREFIX: 'cli',
      TESSERA_ENCRYPTION_KEY: newEncryptionKey(),
      LOG_LEVEL: 'warn',
      ...env,
    });

  it('bad credentials: one clear message and exit code 2, whether unreadable, malformed or unknown to the server', { timeout: 90_000 }, async () => {
    const garbage = join(scratch, 'garbage.nk');
    await writeFile(garbage, 'not-a-seed-but-maybe-a-secret\n');
    const stranger = join(scratch, 'stranger.nk');
    await writeFile(stranger, `${new TextDecoder().decode(nkeys.createUser().getSeed())}\n`);
    const cases: [Record<string, string>, RegExp][] = [
      [{ NATS_CREDS: join(scratch, 'missing.nk') }, /NATS_CREDS: cannot read .*missing\.nk \(ENOENT\)/],
      [{ NATS_CREDS: garbage }, /NATS_CREDS: .*garbage\.nk holds neither an nkey user seed nor NATS user credentials/],
      [{ NATS_CREDS: stranger }, /NATS refused this service's credential/],
      [{ TESSERA_NATS_CREDENTIALS: join(scratch, 'nowhere') }, /TESSERA_NATS_CREDENTIALS: .*nowhere\/platform-cli does not exist/],
    ];
    const processes = cases.map(([env]) => service(env));
    running.push(...processes);
    for (const [i, [, message]] of cases.entries()) {
      const process = processes[i];
      expect(await process.exited, process.output()).toEqual({ code: 2, signal: null });
      expect(process.output()).toMatch(message);
      expect(process.output()).not.toContain('not-a-seed-but-maybe-a-secret');
      expect(process.output()).not.toMatch(/\n\s+at /); // a message, not a stack trace
    }
  });

  it('an open bus is a start-up error with TESSERA_REQUIRE_SECURE_BUS=true, and one loud warning without it', { timeout: 90_000 }, async () => {
    const refused = runNode(CLI, {
      DATABASE_URL: db.url,
      NATS_URL: TEST_NATS_URL,
      TESSERA_REQUIRE_SECURE_BUS: 'true',
      TESSERA_ENCRYPTION_KEY: newEncryptionKey(),
    });
    running.push(refused);
    expect(await refused.exited).toEqual({ code: 2, signal: null });
    expect(refused.output()).toMatch(/TESSERA_REQUIRE_SECURE_BUS=true but no bus credential is set/);

    const prefix = uniqueName('open');
    const open = runNode(CLI, {
      PORT: String(await freePort()),
      DATABASE_URL: db.url,
      NATS_URL: TEST_NATS_URL,
      TESSERA_SUBJECT_PREFIX: prefix,
      TESSERA_ENCRYPTION_KEY: newEncryptionKey(),
      LOG_LEVEL: 'warn',
      TESSERA_ADMIN_PASSWORD,
    });
    running.push(open);
    try {
      await eventually(async () => open.output().includes('OPEN BUS'), 45_000);
      expect(open.output().match(/!!! OPEN BUS/g)).toHaveLength(1);
    } finally {
      open.child.kill('SIGINT');
      await open.exited;
      await deleteEventStream(testConfig(db, { TESSERA_SUBJECT_PREFIX: prefix }));
    }
  });
});
