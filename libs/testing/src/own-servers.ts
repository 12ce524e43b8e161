import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

/**
 * PostgreSQL clusters and nats-servers of a test's (or a drill's) own, on free ports, for anything that stops,
 * kills or restarts a dependency: the machine's shared servers on 5432/4222 are never touched.
 */

const run = promisify(execFile);
const PG_BIN = process.env.TEST_PG_BIN ?? (existsSync('/usr/lib/postgresql') ? `/usr/lib/postgresql/${latestPostgres()}/bin` : '');
/** Debian's nats-server (2.9), unless TEST_NATS_SERVER names another. */
export const NATS_SERVER = process.env.TEST_NATS_SERVER ?? '/usr/sbin/nats-server';

function latestPostgres(): string {
  const versions = readdirSync('/usr/lib/postgresql').filter((v) => /^\d+$/.test(v));
  return versions.sort((a, b) => Number(b) - Number(a))[0] ?? '15';
}

export async function freeTcpPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === 'object' && address ? address.port : 0;
}

/** Runs a command as the `postgres` user when we are root (initdb and postgres refuse to run as root). */
export function asPostgres(command: string, args: string[]): [string, string[]] {
  return process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
}

export interface OwnPostgres {
  port: number;
  /** postgres://postgres@127.0.0.1:<port>/<database> */
  url(database?: string): string;
  createDatabase(name: string): Promise<string>;
  /** `pg_ctl stop -m fast` (every session is terminated with 57P01), or `immediate` (a crash). */
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  start(): Promise<void>;
  /** Stops the server and deletes its data directory. */
  destroy(): Promise<void>;
}

/** A fresh cluster (initdb, trust auth, no fsync: a test's data need not survive a power cut), started. */
export async function startOwnPostgres(): Promise<OwnPostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-pg-'));
  const data = join(dir, 'data');
  if (process.getuid?.() === 0) chownSync(dir, ...postgresIds());
  const port = await freeTcpPort();
  const [initdb, initArgs] = asPostgres(join(PG_BIN, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
  await run(initdb, initArgs);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
  const pgCtl = (...args: string[]) => {
    const [command, commandArgs] = asPostgres(join(PG_BIN, 'pg_ctl'), ['-D', data, '-s', ...args]);
    return run(command, commandArgs);
  };
  let running = false;
  const server: OwnPostgres = {
    port,
    url: (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`,
    async createDatabase(name) {
      const client = new pg.Client({ connectionString: server.url() });
      await client.connect();
      await client.query(`CREATE DATABASE "${name}"`);
      await client.end();
      return server.url(name);
    },
    async start() {
      await pgCtl('-o', options, '-l', join(dir, 'postgres.log'), '-w', '-t', '30', 'start');
      running = true;
    },
    async stop(mode = 'fast') {
      if (!running) return;
      await pgCtl('-m', mode, '-w', '-t', '30', 'stop');
      running = false;
    },
    async destroy() {
      await server.stop('immediate').catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await server.start();
  return server;
}

export function postgresIds(): [number, number] {
  const passwd = readFileSync('/etc/passwd', 'utf8');
  const entry = passwd
    .split('\n')
    .find((line) => line.startsWith('postgres:'))
    ?.split(':');
  if (!entry) throw new Error('no postgres user on this machine (apt-get install postgresql)');
  return [Number(entry[2]), Number(entry[3])];
}

export interface OwnNats {
  port: number;
  url: string;
  /** The HTTP monitoring port (`/connz` shows each connection's messages in and out). */
  monitorPort: number;
  stop(signal?: NodeJS.Signals): Promise<void>;
  start(): Promise<void>;
  destroy(): Promise<void>;
}

/** A nats-server with JetStream on free ports; its store survives stop()/start(), as a real restart's would. */
export async function startOwnNats(extraArgs: string[] = []): Promise<OwnNats> {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-nats-'));
  const port = await freeTcpPort();
  const monitorPort = await freeTcpPort();
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  const server: OwnNats = {
    port,
    monitorPort,
    url: `nats://127.0.0.1:${port}`,
    async start() {
      if (child && child.exitCode === null && child.signalCode === null) return; // already running
      child = spawn(NATS_SERVER, ['-a', '127.0.0.1', '-p', String(port), '-m', String(monitorPort), '-js', '-sd', dir, ...extraArgs], { stdio: 'ignore' });
      exited = new Promise((resolve) => child!.once('exit', () => resolve()));
      for (let waited = 0; ; waited += 50) {
        const ready = await fetch(`http://127.0.0.1:${monitorPort}/healthz?js-enabled-only=true`).then(
          (r) => r.ok,
          () => false,
        );
        if (ready) return;
        if (child.exitCode !== null || waited > 10_000) throw new Error(`nats-server did not start on ${port}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async stop(signal = 'SIGTERM') {
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      await exited;
    },
    async destroy() {
      await server.stop('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await server.start();
  return server;
}

export interface ConfiguredNats extends OwnNats {
  /** The directory the configuration was written into (with `npm run nats:config`: every service's credential). */
  credentials: string;
  configFile: string;
}

/**
 * A nats-server of one's own started from a configuration file that `configure` writes into a fresh directory
 * (`npm run nats:config`'s generator, for a secured bus); `tls` when that configuration requires TLS. stop() removes
 * the server's store and the directory too.
 */
export async function startConfiguredNats(configure: (dir: string) => Promise<string>, options: { tls?: boolean } = {}): Promise<ConfiguredNats> {
  const credentials = await mkdtemp(join(tmpdir(), 'tessera-nats-creds-'));
  const configFile = await configure(credentials);
  const server = await startOwnNats(['-c', configFile]).catch(async (error) => {
    await rm(credentials, { recursive: true, force: true });
    throw error;
  });
  return {
    ...server,
    url: `${options.tls ? 'tls' : 'nats'}://127.0.0.1:${server.port}`,
    credentials,
    configFile,
    stop: async () => {
      await server.destroy();
      await rm(credentials, { recursive: true, force: true });
    },
  };
}
