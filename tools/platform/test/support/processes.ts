import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TesseraConfig } from '@tessera/config';
import { eventually, TEST_NATS_URL } from '@tessera/testing';
import { ADMIN_PASSWORD } from './sign-in.js';

/** Helpers for tests that run Tessera the way an operator does: as real processes from the built dist/. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');

/** Brings every dist/ up to date (incremental, so cheap when `npm test` has just built). */
export function buildDist(): void {
  execFileSync(process.execPath, [join(repoRoot, 'tools/build.mjs')], { cwd: repoRoot, stdio: 'inherit' });
}

export function newEncryptionKey(): string {
  return randomBytes(32).toString('base64');
}

export { freeTcpPort as freePort } from '@tessera/testing';

/** The variables Tessera reads, so a child never inherits the developer's own settings by accident. */
const TESSERA_VARIABLES = /^(PORT|DATABASE_URL|NATS_URL|LOG_LEVEL|METRICS_\w+|TESSERA_\w+|OTEL_\w+)$/;

export interface TesseraProcess {
  child: ChildProcess;
  /** stdout and stderr so far, for failure messages. */
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Runs `node <script>` from the repo with exactly the given Tessera environment. In a process group of its own, so
 * `killIfRunning` reaches everything it started, and with an IPC channel, so it stops when the test's worker goes.
 */
export function runNode(script: string, env: Record<string, string>): TesseraProcess {
  const base = Object.fromEntries(Object.entries(process.env).filter(([key]) => !TESSERA_VARIABLES.test(key)));
  const child = spawn(process.execPath, [join(repoRoot, script)], {
    cwd: repoRoot,
    env: { ...base, ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    detached: true,
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, output: () => output, exited };
}

/**
 * Kills what a test started, with everything those processes started in turn (the launcher's services), and waits
 * until none of them is left: a test never leaves a process connected to the shared NATS after its database is gone.
 */
export async function killIfRunning(processes: (TesseraProcess | undefined)[]): Promise<void> {
  for (const p of processes) {
    const group = p?.child.pid;
    if (!p || group === undefined) continue;
    try {
      process.kill(-group, 'SIGKILL');
    } catch {
      // ESRCH: nothing of the group is left
    }
    await p.exited;
    const deadline = Date.now() + 10_000;
    while (groupMembers(group).length > 0) {
      if (Date.now() > deadline) throw new Error(`processes of group ${group} still running: ${groupMembers(group).join(', ')}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

/** Fields of /proc/<pid>/stat after the command name (which may contain spaces): state, parent id, process group, … */
function statFields(pid: string): string[] | undefined {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ');
  } catch {
    return undefined; // exited while we looked
  }
}

const processIds = () => readdirSync('/proc').filter((entry) => /^\d+$/.test(entry));

/** Living members of a process group (zombies, already dead and waiting to be reaped, do not count). */
export function groupMembers(group: number): number[] {
  return processIds()
    .filter((pid) => {
      const fields = statFields(pid);
      return fields !== undefined && fields[0] !== 'Z' && Number(fields[2]) === group;
    })
    .map(Number);
}

/** Ids of a process's direct children, read from /proc (Linux), so no `ps` is needed. */
export function childPids(parent: number): number[] {
  return processIds()
    .filter((pid) => Number(statFields(pid)?.[1]) === parent)
    .map(Number);
}

/** Whether a process still runs (one that died and waits to be reaped, a zombie, does not). */
export function isAlive(pid: number): boolean {
  const state = statFields(String(pid))?.[0];
  return state !== undefined && state !== 'Z';
}

/** The launcher `npm start` runs. */
export const CLI = 'tools/platform/dist/cli.js';

/** What `npm start` needs in distributed mode on the shared servers: a test database and a subject prefix of its own. */
export function distributedEnvironment(db: { url: string }, subjectPrefix: string, more: Record<string, string> = {}): Record<string, string> {
  return {
    DATABASE_URL: db.url,
    NATS_URL: TEST_NATS_URL,
    TESSERA_SUBJECT_PREFIX: subjectPrefix,
    TESSERA_ENCRYPTION_KEY: newEncryptionKey(),
    LOG_LEVEL: 'warn',
    TESSERA_ADMIN_PASSWORD: ADMIN_PASSWORD,
    ...more,
  };
}

/** One service's environment for running its `dist/main.js` alongside a platform started with `config`. */
export function serviceEnvironment(config: TesseraConfig, more: Record<string, string> = {}): Record<string, string> {
  return {
    DATABASE_URL: config.databaseUrl!,
    NATS_URL: config.natsUrl!,
    TESSERA_SUBJECT_PREFIX: config.subjectPrefix,
    TESSERA_ENCRYPTION_KEY: config.encryptionKey!,
    LOG_LEVEL: 'warn',
    ...more,
  };
}

/**
 * Waits until `url` answers ready (or `path`, e.g. /health for a lone gateway), failing at once, with the process's
 * output, if the process exits first; resolves with how long it took.
 */
export async function waitUntilReady(url: string, started: TesseraProcess, withinMs = 60_000, path = '/health/ready'): Promise<number> {
  const since = Date.now();
  await eventually(
    async () => {
      if (started.child.exitCode !== null) throw new Error(`the process exited with ${started.child.exitCode}`);
      return (await fetch(`${url}${path}`).catch(() => undefined))?.status === 200;
    },
    withinMs,
    100,
  ).catch((error) => {
    throw new Error(`${error}\noutput:\n${started.output()}`);
  });
  return Date.now() - since;
}

/** Ctrl-C, so the launcher stops its children; resolves with how the process ended. */
export async function stopWithCtrlC(started: TesseraProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  started.child.kill('SIGINT');
  return started.exited;
}

/** An error or fatal line in a process's JSON log. */
export const ERROR_LOG_LINE = /"level":(50|60)/;
