import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Helpers for tests that run Tessera the way an operator does: as real processes from the built dist/. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

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

export const TEST_ADMIN_PASSWORD = 'test-admin-password-0123';
const adminTokens = new Map<string, string>();

/** fetch as the platform's admin (logs in once per gateway address; the platform must have TEST_ADMIN_PASSWORD). */
export async function adminFetch(url: string, init: RequestInit = {}): Promise<Response> {
  const origin = new URL(url).origin;
  let token = adminTokens.get(origin);
  if (!token) {
    const login = await fetch(`${origin}/admin/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: TEST_ADMIN_PASSWORD }),
    });
    if (login.status !== 200) throw new Error(`admin login failed: ${login.status} ${await login.text()}`);
    token = ((await login.json()) as { access_token: string }).access_token;
    adminTokens.set(origin, token);
  }
  return fetch(url, { ...init, headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${token}` } });
}
