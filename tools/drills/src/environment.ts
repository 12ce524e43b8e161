import { connect, type ConnectionOptions, type NatsConnection } from '@nats-io/transport-node';
import { freeTcpPort as freePort, startOwnNats, startOwnPostgres, type OwnNats, type OwnPostgres } from '@tessera/testing';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { clusterConnectionOptions, clusterEnvironment, isCluster, startDrillCluster } from './cluster.js';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const SERVICES = ['auth-server', 'integrations-registry', 'outbound-token-broker', 'gateway'] as const;
export type Service = (typeof SERVICES)[number];
export const ADMIN_PASSWORD = 'drill-admin-password-0123';

/**
 * The one place the drills say how to reach their NATS: the platform's children get these variables and the drills'
 * own connections these options. On a secured bus, add the credentials here (one line each) and nothing else changes.
 */
export function busEnvironment(nats: OwnNats): Record<string, string> {
  return isCluster(nats) ? clusterEnvironment(nats) : { NATS_URL: nats.url };
}
export function busConnectionOptions(nats: OwnNats): ConnectionOptions {
  if (isCluster(nats)) return clusterConnectionOptions(nats);
  return { servers: nats.url, name: 'drills', reconnect: true, maxReconnectAttempts: -1, reconnectTimeWait: 100 };
}

/** Ids of a process's direct children (/proc, Linux). */
function childPids(parent: number): number[] {
  return readdirSync('/proc')
    .filter((e) => /^\d+$/.test(e))
    .filter((pid) => {
      try {
        return Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ')[1]) === parent;
      } catch {
        return false;
      }
    })
    .map(Number);
}

function serviceOf(pid: number): Service | undefined {
  try {
    return /apps\/([a-z-]+)\/dist\/main\.js/.exec(readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' '))?.[1] as Service | undefined;
  } catch {
    return undefined;
  }
}

export interface EnvironmentOptions {
  /** Processes per service (the launcher's TESSERA_REPLICAS). */
  replicas: number;
  /** Three clustered nats-servers (the nats-cluster drill) instead of one. */
  natsCluster?: boolean;
  log?: (line: string) => void;
}

/**
 * A platform of the drills' own: a fresh PostgreSQL cluster and nats-server on free ports, and `npm start`'s launcher
 * (tools/platform/dist/cli.js) running every service as its own supervised process over them, exactly as an operator
 * runs it. The drills kill those processes and restart the servers; nothing shared is touched.
 */
export class DrillEnvironment {
  launcher?: ChildProcess;
  url = '';
  databaseUrl = '';
  private output = '';
  /** Error-level lines the services logged, and what Node printed of an uncaught exception, with when they arrived. */
  readonly errorLines: { at: number; line: string }[] = [];
  private db?: pg.Pool;

  private constructor(
    readonly postgres: OwnPostgres,
    readonly nats: OwnNats,
    readonly options: EnvironmentOptions,
  ) {}

  static async start(options: EnvironmentOptions): Promise<DrillEnvironment> {
    const [postgres, nats] = await Promise.all([startOwnPostgres(), options.natsCluster ? startDrillCluster() : startOwnNats()]);
    const environment = new DrillEnvironment(postgres, nats, options);
    try {
      await environment.launch();
    } catch (error) {
      await environment.stop();
      throw error;
    }
    return environment;
  }

  private async launch(): Promise<void> {
    this.databaseUrl = await this.postgres.createDatabase('tessera');
    this.db = new pg.Pool({ connectionString: this.databaseUrl, max: 2 });
    this.db.on('error', () => undefined); // the drills restart this server on purpose
    const port = await freePort();
    this.url = `http://127.0.0.1:${port}`;
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      PORT: String(port),
      TESSERA_ISSUER: this.url,
      DATABASE_URL: this.databaseUrl,
      ...busEnvironment(this.nats),
      TESSERA_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      TESSERA_ADMIN_PASSWORD: ADMIN_PASSWORD,
      TESSERA_REPLICAS: String(this.options.replicas),
      LOG_LEVEL: 'warn',
      // The drills' fake providers listen on loopback, which the egress policy refuses in distributed mode.
      TESSERA_EGRESS_ALLOW: '127.0.0.0/8,::1',
    };
    this.launcher = spawn(process.execPath, ['--enable-source-maps', join(repoRoot, 'tools/platform/dist/cli.js')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const keep = (chunk: Buffer) => {
      const text = chunk.toString();
      this.output = (this.output + text).slice(-200_000);
      for (const line of text.split('\n')) {
        if (line.startsWith('[tessera]')) this.options.log?.(line);
        if (/"level":(50|60)/.test(line)) this.errorLines.push({ at: Date.now(), line: line.slice(0, 600) });
        // Not a log line: what Node prints of an uncaught exception (a crash), or a warning.
        else if (/^\s*(\w*Error\b|Uncaught|at |\(node:\d+\))/.test(line)) this.errorLines.push({ at: Date.now(), line: line.slice(0, 600) });
      }
    };
    this.launcher.stdout!.on('data', keep);
    this.launcher.stderr!.on('data', keep);
    await this.waitReady(150_000); // eight processes starting at once take a while on a busy 2-core machine
  }

  /** The launcher's output so far (the services' warnings and the supervisor's reports). */
  logs(): string {
    return this.output;
  }

  async waitReady(timeoutMs: number): Promise<number> {
    const started = Date.now();
    for (;;) {
      if (this.launcher?.exitCode !== null) throw new Error(`the launcher exited with ${this.launcher?.exitCode}\n${this.output}`);
      const ready = await fetch(`${this.url}/health/ready`, { signal: AbortSignal.timeout(3000) }).then(
        (r) => r.status === 200,
        () => false,
      );
      if (ready) return Date.now() - started;
      if (Date.now() - started > timeoutMs) throw new Error(`the platform was not ready within ${timeoutMs} ms\n${this.output.slice(-5000)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** The pids of a service's replicas, oldest first. */
  pidsOf(service: Service): number[] {
    return childPids(this.launcher!.pid!)
      .filter((pid) => serviceOf(pid) === service)
      .sort((a, b) => a - b);
  }

  /** kill -9 of one replica of `service`; the launcher's supervisor restarts it. */
  killService(service: Service): number {
    const [pid] = this.pidsOf(service);
    if (!pid) throw new Error(`no ${service} process is running`);
    process.kill(pid, 'SIGKILL');
    return pid;
  }

  /** A direct query on the platform's database (undefined while it is down). */
  async query<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[] | undefined> {
    return this.db!.query<T>(sql, params).then(
      (r) => r.rows,
      () => undefined,
    );
  }

  async connectBus(): Promise<NatsConnection> {
    return connect(busConnectionOptions(this.nats));
  }

  /** Messages in and out per connection, by connection name, from the nats-server's monitoring endpoint. */
  async connections(): Promise<{ name: string; inMsgs: number; outMsgs: number }[]> {
    const connz = (await (await fetch(`http://127.0.0.1:${this.nats.monitorPort}/connz?limit=1024`)).json()) as {
      connections?: { name?: string; in_msgs: number; out_msgs: number }[];
    };
    return (connz.connections ?? []).map((c) => ({ name: c.name ?? '', inMsgs: c.in_msgs, outMsgs: c.out_msgs }));
  }

  /** The nats-server's ids of a service's open connections (one per replica; a restarted replica gets a new id). */
  async connectionIds(service: Service): Promise<Set<number>> {
    const connz = (await (await fetch(`http://127.0.0.1:${this.nats.monitorPort}/connz?limit=1024`)).json()) as {
      connections?: { cid: number; name?: string }[];
    };
    return new Set((connz.connections ?? []).filter((c) => c.name === service).map((c) => c.cid));
  }

  async stop(): Promise<void> {
    if (this.launcher && this.launcher.exitCode === null) {
      const exited = new Promise((r) => this.launcher!.once('exit', r));
      this.launcher.kill('SIGTERM');
      const timer = setTimeout(() => this.launcher!.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    }
    await this.db?.end().catch(() => undefined);
    await Promise.all([this.postgres.destroy(), this.nats.destroy()]);
  }
}
