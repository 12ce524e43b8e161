import type { TesseraConfig } from '@tessera/config';
import { connect as tcpConnect } from 'node:net';
import pg from 'pg';

/** A start that cannot go on: one line for the operator and the exit code (2: a setting to fix; 1: a dependency that is down). */
export class StartupRefusal extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2,
  ) {
    super(message);
    this.name = 'StartupRefusal';
  }
}

/** What the launcher found before starting the services, for the banner. */
export interface DependencyStatus {
  /** One line per dependency, e.g. `PostgreSQL: up at 127.0.0.1:5432, database tessera (created now)`. */
  lines: string[];
  /** No admin account exists yet: the services will create one on this start. */
  adminMissing: boolean;
}

/** Errors that mean "not reachable yet" rather than "refused": worth waiting for. */
const TRANSIENT = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', '57P03']);
const RETRY_EVERY_MS = 500;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const codeOf = (error: unknown) => (error as { code?: string })?.code ?? ((error as Error)?.message?.includes('timeout') ? 'ETIMEDOUT' : undefined);
const quoteIdentifier = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * Distributed mode, before any service starts: waits (up to TESSERA_STARTUP_WAIT_SECONDS) for PostgreSQL and NATS to
 * answer, creates the database when it is missing and the role may, and finds whether an admin account exists. A
 * service started against a dependency that is not there fails the same way on every restart; the launcher finding it
 * first turns a crash loop of stack traces into one line per dependency.
 */
export async function checkDependencies(config: TesseraConfig, say: (line: string) => void): Promise<DependencyStatus> {
  const [database, nats] = await Promise.allSettled([
    preparePostgres(config.databaseUrl!, config.startupWaitMs, say),
    waitForNats(config.natsUrl!, config.startupWaitMs, say),
  ]);
  const failures = [database, nats].filter((outcome) => outcome.status === 'rejected').map((outcome) => outcome.reason as unknown);
  if (failures.length) {
    const refusals = failures.map((failure) => (failure instanceof StartupRefusal ? failure : new StartupRefusal(String(failure), 1)));
    // Every dependency's line, not only the first: an operator fixing one should not discover the next on the next try.
    throw new StartupRefusal(refusals.map((refusal) => refusal.message).join('\n'), refusals.some((refusal) => refusal.exitCode === 2) ? 2 : 1);
  }
  const { line, adminMissing } = (database as PromiseFulfilledResult<{ line: string; adminMissing: boolean }>).value;
  return { lines: [line, (nats as PromiseFulfilledResult<string>).value], adminMissing };
}

function describeDatabase(url: string) {
  const parsed = new URL(url);
  return {
    where: `${parsed.hostname}:${parsed.port || 5432}`,
    name: decodeURIComponent(parsed.pathname.replace(/^\//, '')) || decodeURIComponent(parsed.username) || 'postgres',
    role: decodeURIComponent(parsed.username) || 'postgres',
  };
}

async function preparePostgres(url: string, waitMs: number, say: (line: string) => void): Promise<{ line: string; adminMissing: boolean }> {
  const { where, name, role } = describeDatabase(url);
  const deadline = Date.now() + waitMs;
  let created = false;
  let waiting = false;
  for (;;) {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: Math.max(1000, Math.min(5000, waitMs)) });
    client.on('error', () => undefined);
    try {
      await client.connect();
      try {
        const adminMissing = await hasNoAdmin(client);
        return { line: `PostgreSQL: up at ${where}, database ${name}${created ? ' (created now)' : ''}`, adminMissing };
      } finally {
        await client.end().catch(() => undefined);
      }
    } catch (error) {
      await client.end().catch(() => undefined);
      const code = codeOf(error);
      if (code === '3D000' && !created) {
        await createDatabase(url, name, role, where);
        created = true;
        continue;
      }
      if (code === '28P01' || code === '28000')
        throw new StartupRefusal(`PostgreSQL at ${where} refused role ${role}: ${(error as Error).message} (check DATABASE_URL)`, 2);
      if (!code || !TRANSIENT.has(code)) throw new StartupRefusal(`PostgreSQL at ${where}, database ${name}: ${(error as Error).message}`, 2);
      if (Date.now() >= deadline)
        throw new StartupRefusal(
          `PostgreSQL at ${where} is not reachable (${code}) after ${waitMs / 1000} s: start it or correct DATABASE_URL (TESSERA_STARTUP_WAIT_SECONDS sets the wait)`,
          1,
        );
      if (!waiting) say(`waiting for PostgreSQL at ${where} (${code}), up to ${waitMs / 1000} s`);
      waiting = true;
      await sleep(RETRY_EVERY_MS);
    }
  }
}

/** CREATE DATABASE through the server's maintenance database, as `createdb` does; refused without CREATEDB. */
async function createDatabase(url: string, name: string, role: string, where: string): Promise<void> {
  const maintenance = new URL(url);
  maintenance.pathname = '/postgres';
  const client = new pg.Client({ connectionString: maintenance.toString(), connectionTimeoutMillis: 5000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query(`CREATE DATABASE ${quoteIdentifier(name)}`);
  } catch (error) {
    // Another launcher created it in the meantime: what we wanted.
    if (codeOf(error) === '42P04') return;
    const why = codeOf(error) === '42501' ? `role ${role} may not create databases` : (error as Error).message;
    throw new StartupRefusal(
      `database ${name} does not exist on PostgreSQL at ${where} and could not be created (${why}): create it once as a role that may — createdb -h ${where.split(':')[0]} -p ${where.split(':')[1]} -O ${role} ${name} — then start again`,
      2,
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Whether the auth server will create the `admin` account on this start. The launcher reads auth-server's table (as
 * `reset-admin-password` does) so it can choose that account's password itself and show it in the banner, rather than
 * leave it among the services' logs.
 */
async function hasNoAdmin(client: pg.Client): Promise<boolean> {
  const table = await client.query<{ exists: boolean }>(`SELECT to_regclass('auth.admin_user') IS NOT NULL AS "exists"`);
  if (!table.rows[0].exists) return true;
  const admin = await client.query(`SELECT 1 FROM "auth"."admin_user" WHERE "username" = 'admin'`);
  return admin.rowCount === 0;
}

/** A TCP connection to one of NATS_URL's servers: enough to tell "down" from "up"; credentials are each service's own. */
async function waitForNats(urls: string, waitMs: number, say: (line: string) => void): Promise<string> {
  const servers = urls.split(',').map((url) => {
    const parsed = new URL(url.trim());
    return { host: parsed.hostname, port: Number(parsed.port || 4222) };
  });
  const list = servers.map(({ host, port }) => `${host}:${port}`).join(', ');
  const deadline = Date.now() + waitMs;
  let waiting = false;
  for (;;) {
    const attempts = await Promise.all(servers.map((server) => reach(server.host, server.port)));
    const up = attempts.findIndex((outcome) => outcome === true);
    if (up >= 0) return `NATS: up at ${servers[up].host}:${servers[up].port}`;
    const code = attempts.find((outcome) => outcome !== true) as string;
    if (Date.now() >= deadline)
      throw new StartupRefusal(
        `NATS at ${list} is not reachable (${code}) after ${waitMs / 1000} s: start it or correct NATS_URL (TESSERA_STARTUP_WAIT_SECONDS sets the wait)`,
        1,
      );
    if (!waiting) say(`waiting for NATS at ${list} (${code}), up to ${waitMs / 1000} s`);
    waiting = true;
    await sleep(RETRY_EVERY_MS);
  }
}

function reach(host: string, port: number): Promise<true | string> {
  return new Promise((resolve) => {
    const socket = tcpConnect({ host, port, timeout: 2000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve('ETIMEDOUT');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}
