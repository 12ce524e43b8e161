import type { PlatformInstancePage, PlatformInstanceView } from '@tessera/contracts';
import { createTestDatabase, deleteEventStream, eventually, testConfig, TEST_NATS_URL, uniqueName, type TestDatabase } from '@tessera/testing';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic } from '../support/test-platform.js';
import {
  adminFetch,
  buildDist,
  childPids,
  freePort,
  isAlive,
  killIfRunning,
  newEncryptionKey,
  runNode,
  type TesseraProcess,
  TEST_ADMIN_PASSWORD as TESSERA_ADMIN_PASSWORD,
} from '../processes.js';

const CLI = 'tools/platform/dist/cli.js';
const READY_WITHIN_MS = 20_000;

async function waitUntilReady(url: string, cli: TesseraProcess): Promise<number> {
  const started = Date.now();
  await eventually(
    async () => {
      if (cli.child.exitCode !== null) throw new Error(`the CLI exited with ${cli.child.exitCode}`);
      return (await fetch(`${url}/health/ready`)).status === 200;
    },
    READY_WITHIN_MS,
    200,
  ).catch((error) => {
    throw new Error(`${error}\nCLI output:\n${cli.output()}`);
  });
  return Date.now() - started;
}

/** Ctrl-C; resolves with how the process ended. A clean stop logs no error or fatal line on the way out. */
async function stopWithCtrlC(cli: TesseraProcess) {
  cli.child.kill('SIGINT');
  const ended = await cli.exited;
  expect(cli.output()).not.toMatch(/"level":(50|60)/);
  return ended;
}

describe('`npm start` (the platform CLI)', () => {
  const running: (TesseraProcess | undefined)[] = [];
  beforeAll(() => buildDist());
  afterAll(() => killIfRunning(running));

  describe('embedded mode: nothing but Node', () => {
    let dataDir: string;
    beforeAll(async () => {
      dataDir = await mkdtemp(join(tmpdir(), 'tessera-embedded-'));
    });
    afterAll(() => rm(dataDir, { recursive: true, force: true }));

    it('becomes ready, stops on Ctrl-C with exit code 0, and keeps its data across a restart', async () => {
      const port = await freePort();
      const url = `http://127.0.0.1:${port}`;
      const env = { PORT: String(port), TESSERA_DATA_DIR: dataDir, LOG_LEVEL: 'warn', TESSERA_ADMIN_PASSWORD };

      const first = runNode(CLI, env);
      running.push(first);
      await waitUntilReady(url, first);
      expect(first.output()).toContain('mode: embedded');
      expect(first.output()).toContain(`listening on http://localhost:${port}`);
      const created = await adminFetch(`${url}/admin/instances`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'embedded-acme', baseUrl: 'https://acme.example.com' }),
      });
      expect(created.status).toBe(201);
      const instance = (await created.json()) as PlatformInstanceView;
      // A token on the embedded database; its refresh token must survive the restart.
      const integration = (await (
        await adminFetch(`${url}/admin/integrations`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ name: 'embedded-client', permissions: ['*:orgs=read'] }),
        })
      ).json()) as { applicationId: string; appSecret: string };
      const token = (params: Record<string, string>) =>
        fetch(`${url}/oauth/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(integration.applicationId, integration.appSecret) },
          body: new URLSearchParams(params).toString(),
        });
      const issued = await token({ grant_type: 'client_credentials' });
      expect(issued.status).toBe(200);
      const { refresh_token: refreshToken } = (await issued.json()) as { refresh_token: string };
      expect(await stopWithCtrlC(first)).toEqual({ code: 0, signal: null });

      const second = runNode(CLI, env);
      running.push(second);
      await waitUntilReady(url, second);
      const again = await adminFetch(`${url}/admin/instances/${instance.id}`);
      expect(again.status).toBe(200);
      expect(await again.json()).toEqual(instance);
      expect(((await (await adminFetch(`${url}/admin/instances`)).json()) as PlatformInstancePage).total).toBe(1);
      const refreshed = await token({ grant_type: 'refresh_token', refresh_token: refreshToken });
      expect(refreshed.status, await refreshed.clone().text()).toBe(200);
      expect(await stopWithCtrlC(second)).toEqual({ code: 0, signal: null });
    });
  });

  describe('first start without TESSERA_ADMIN_PASSWORD', () => {
    let dataDir: string;
    beforeAll(async () => {
      dataDir = await mkdtemp(join(tmpdir(), 'tessera-first-start-'));
    });
    afterAll(() => rm(dataDir, { recursive: true, force: true }));

    it('generates the admin password, prints it once, and it signs in; a restart prints none', async () => {
      const port = await freePort();
      const url = `http://127.0.0.1:${port}`;
      const env = { PORT: String(port), TESSERA_DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
      const first = runNode(CLI, env);
      running.push(first);
      await waitUntilReady(url, first);
      const password = /password: (\S+)/.exec(first.output())?.[1];
      expect(password).toBeTruthy();
      expect(first.output()).not.toMatch(new RegExp(`"level".*${password}`));
      const login = await fetch(`${url}/admin/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'admin', password }),
      });
      expect(login.status).toBe(200);
      expect(await stopWithCtrlC(first)).toEqual({ code: 0, signal: null });

      const second = runNode(CLI, env);
      running.push(second);
      await waitUntilReady(url, second);
      expect(second.output()).not.toContain('password:');
      expect(await stopWithCtrlC(second)).toEqual({ code: 0, signal: null });
    });
  });

  describe('the start-up banner', () => {
    let dataDir: string;
    beforeAll(async () => {
      dataDir = await mkdtemp(join(tmpdir(), 'tessera-banner-'));
    });
    afterAll(() => rm(dataDir, { recursive: true, force: true }));

    it('comes before the JSON logs, with the URL, the console, the mode and the generated password once', async () => {
      const port = await freePort();
      const cli = runNode(CLI, { PORT: String(port), TESSERA_DATA_DIR: dataDir, LOG_LEVEL: 'info' });
      running.push(cli);
      await waitUntilReady(`http://127.0.0.1:${port}`, cli);
      const output = cli.output();
      const password = /password: (\S+)/.exec(output)?.[1];
      expect(password).toBeTruthy();
      expect(output.split(password!)).toHaveLength(2);
      const firstLog = output.indexOf('{"level"');
      expect(firstLog).toBeGreaterThan(0);
      for (const line of [`listening on http://localhost:${port}`, `console: http://localhost:${port}/console/`, 'mode: embedded', `password: ${password}`]) {
        expect(output.indexOf(line), line).toBeGreaterThanOrEqual(0);
        expect(output.indexOf(line), line).toBeLessThan(firstLog);
      }
      expect(await stopWithCtrlC(cli)).toEqual({ code: 0, signal: null });
    });
  });

  describe('distributed mode: DATABASE_URL and NATS_URL point at the local servers', () => {
    let db: TestDatabase;
    const subjectPrefix = uniqueName('cli');
    beforeAll(async () => {
      db = await createTestDatabase();
    });
    afterAll(async () => {
      await deleteEventStream(testConfig(db, { TESSERA_SUBJECT_PREFIX: subjectPrefix }));
      await db.drop();
    });

    it('runs the four services as processes, becomes ready, and Ctrl-C stops every one of them', async () => {
      const port = await freePort();
      const url = `http://127.0.0.1:${port}`;
      const cli = runNode(CLI, {
        PORT: String(port),
        DATABASE_URL: db.url,
        NATS_URL: TEST_NATS_URL,
        TESSERA_SUBJECT_PREFIX: subjectPrefix,
        TESSERA_ENCRYPTION_KEY: newEncryptionKey(),
        LOG_LEVEL: 'warn',
        TESSERA_ADMIN_PASSWORD,
      });
      running.push(cli);
      await waitUntilReady(url, cli);
      expect(cli.output()).toContain('mode: distributed');
      const services = childPids(cli.child.pid!);
      expect(services).toHaveLength(4);

      const created = await adminFetch(`${url}/admin/instances`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'distributed-acme', baseUrl: 'https://acme.example.com' }),
      });
      expect(created.status).toBe(201);
      await eventually(async () => (await db.query('SELECT 1 FROM auth.known_instance')).length === 1);

      expect(await stopWithCtrlC(cli)).toEqual({ code: 0, signal: null });
      await eventually(async () => services.every((pid) => !isAlive(pid)), 5000);
    });
  });
});
