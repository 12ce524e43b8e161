import {
  deleteEventStream,
  eventually,
  freeTcpPort,
  startOwnPostgres,
  TEST_DATABASE_ADMIN_URL,
  TEST_NATS_URL,
  testConfig,
  uniqueName,
  type OwnPostgres,
  type TestDatabase,
} from '@tessera/testing';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDist, childPids, CLI, freePort, isAlive, killIfRunning, runNode, type TesseraProcess } from '../support/processes.js';

/** A stack frame as Node prints it: what an operator must not have to read to learn that a dependency is down. */
const STACK_FRAME = /^\s+at /m;

async function dropDatabase(name: string) {
  const client = new pg.Client({ connectionString: TEST_DATABASE_ADMIN_URL });
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await client.end();
}

/** Ctrl-C for a launcher a failed test left running, so its services stop with it; whatever is left after 20 s is killed. */
async function stopLaunchers(launchers: TesseraProcess[]) {
  for (const cli of launchers) {
    if (cli.child.exitCode !== null || cli.child.signalCode !== null) continue;
    const services = childPids(cli.child.pid!);
    cli.child.kill('SIGINT');
    await Promise.race([cli.exited, new Promise((resolve) => setTimeout(resolve, 20_000))]);
    for (const pid of services) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  }
  await killIfRunning(launchers);
}

describe('`npm start` in distributed mode: its dependencies at start', () => {
  const running: TesseraProcess[] = [];
  beforeAll(() => buildDist());
  afterAll(() => stopLaunchers(running));

  describe('a database that does not exist yet, on a server whose role may create it', () => {
    const database = uniqueName('tessera_new');
    const subjectPrefix = uniqueName('clidb');
    let dataDir: string;
    beforeAll(async () => {
      dataDir = await mkdtemp(join(tmpdir(), 'tessera-left-key-'));
      // What an embedded start leaves behind: its generated key.
      await writeFile(join(dataDir, 'encryption.key'), randomBytes(32).toString('base64'), { mode: 0o600 });
    });
    afterAll(async () => {
      await stopLaunchers(running);
      await deleteEventStream(testConfig({ url: TEST_DATABASE_ADMIN_URL } as TestDatabase, { TESSERA_SUBJECT_PREFIX: subjectPrefix }));
      await dropDatabase(database);
      await rm(dataDir, { recursive: true, force: true });
    });

    it('is created; the banner says so, names the key file embedded mode left and shows the generated admin password', async () => {
      const port = await freePort();
      const url = new URL(TEST_DATABASE_ADMIN_URL);
      url.pathname = `/${database}`;
      const cli = runNode(CLI, {
        PORT: String(port),
        DATABASE_URL: url.toString(),
        NATS_URL: TEST_NATS_URL,
        TESSERA_SUBJECT_PREFIX: subjectPrefix,
        TESSERA_DATA_DIR: dataDir,
        LOG_LEVEL: 'warn',
      });
      running.push(cli);
      await eventually(
        async () => {
          if (cli.child.exitCode !== null) throw new Error(`the CLI exited with ${cli.child.exitCode}\n${cli.output()}`);
          return (await fetch(`http://127.0.0.1:${port}/health/ready`)).status === 200;
        },
        60_000,
        250,
      ).catch((error) => {
        throw new Error(`${error}\nCLI output:\n${cli.output()}`);
      });
      await eventually(async () => cli.output().includes('[tessera] ready: every service answers'), 5000);
      const output = cli.output();
      expect(output).toContain(`database ${database} (created now)`);
      expect(output).toMatch(/NATS: up at 127\.0\.0\.1:\d+/);
      expect(output).toContain(`encryption key: read from ${join(dataDir, 'encryption.key')}, a file left by an earlier start`);
      expect(output).toContain('embedded mode writes one');
      const password = /password: (\S+)/.exec(output)?.[1];
      expect(password).toBeTruthy();
      const firstLog = output.indexOf('{"level"');
      if (firstLog >= 0) expect(output.indexOf(`password: ${password}`)).toBeLessThan(firstLog);
      const login = await fetch(`http://127.0.0.1:${port}/admin/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'admin', password }),
      });
      expect(login.status).toBe(200);
      const services = childPids(cli.child.pid!);
      cli.child.kill('SIGINT');
      expect(await cli.exited).toEqual({ code: 0, signal: null });
      await eventually(async () => services.every((pid) => !isAlive(pid)), 5000);
    }, 90_000);
  });

  describe('a database that does not exist, on a server whose role may not create databases', () => {
    let server: OwnPostgres;
    beforeAll(async () => {
      server = await startOwnPostgres();
      const client = new pg.Client({ connectionString: server.url() });
      await client.connect();
      await client.query('CREATE ROLE tessera_app LOGIN NOCREATEDB');
      await client.end();
    });
    afterAll(() => server?.destroy());

    it('stops with exit code 2 and one message naming the database and how to create it', async () => {
      const cli = runNode(CLI, {
        PORT: String(await freePort()),
        DATABASE_URL: `postgres://tessera_app@127.0.0.1:${server.port}/tessera_missing`,
        NATS_URL: TEST_NATS_URL,
        TESSERA_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      });
      running.push(cli);
      expect((await cli.exited).code).toBe(2);
      const output = cli.output();
      expect(output).toContain(`database tessera_missing does not exist on PostgreSQL at 127.0.0.1:${server.port}`);
      expect(output).toContain('role tessera_app may not create databases');
      expect(output).toContain(`createdb -h 127.0.0.1 -p ${server.port} -O tessera_app tessera_missing`);
      expect(output).not.toMatch(STACK_FRAME);
      expect(output).not.toContain('Tessera gateway');
    }, 60_000);
  });

  describe('PostgreSQL and NATS that do not answer', () => {
    it('waits TESSERA_STARTUP_WAIT_SECONDS, then names each dependency in one line and exits 1 without starting a service', async () => {
      const [databasePort, natsPort] = [await freeTcpPort(), await freeTcpPort()];
      const cli = runNode(CLI, {
        PORT: String(await freePort()),
        DATABASE_URL: `postgres://postgres@127.0.0.1:${databasePort}/tessera`,
        NATS_URL: `nats://127.0.0.1:${natsPort}`,
        TESSERA_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
        TESSERA_STARTUP_WAIT_SECONDS: '2',
      });
      running.push(cli);
      let services: number[] = [];
      let waitingSince: number | undefined;
      const watch = setInterval(() => {
        services = [...services, ...childPids(cli.child.pid!)];
        if (!waitingSince && cli.output().includes('waiting for')) waitingSince = Date.now();
      }, 50);
      const ended = await cli.exited;
      clearInterval(watch);
      // Measured from the first "waiting" line: loading the launcher's modules is not the wait.
      const waited = Date.now() - waitingSince!;
      expect(ended.code).toBe(1);
      expect(waited).toBeGreaterThanOrEqual(1500);
      expect(waited).toBeLessThan(8000);
      expect(services).toEqual([]);
      const output = cli.output();
      expect(output).not.toMatch(STACK_FRAME);
      const lines = output.trim().split('\n');
      expect(lines).toEqual([
        expect.stringContaining(`waiting for`),
        expect.stringContaining(`waiting for`),
        `PostgreSQL at 127.0.0.1:${databasePort} is not reachable (ECONNREFUSED) after 2 s: start it or correct DATABASE_URL (TESSERA_STARTUP_WAIT_SECONDS sets the wait)`,
        `NATS at 127.0.0.1:${natsPort} is not reachable (ECONNREFUSED) after 2 s: start it or correct NATS_URL (TESSERA_STARTUP_WAIT_SECONDS sets the wait)`,
      ]);
    }, 60_000);
  });
});
