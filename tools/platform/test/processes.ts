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

/** Runs `node <script>` from the repo with exactly the given Tessera environment. */
export function runNode(script: string, env: Record<string, string>): TesseraProcess {
  const base = Object.fromEntries(Object.entries(process.env).filter(([key]) => !TESSERA_VARIABLES.test(key)));
  const child = spawn(process.execPath, [join(repoRoot, script)], { cwd: repoRoot, env: { ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, output: () => output, exited };
}

/** Kills a child (and waits for it) if a test left it running. */
export async function killIfRunning(processes: (TesseraProcess | undefined)[]): Promise<void> {
  for (const p of processes) {
    if (p && p.child.exitCode === null && p.child.signalCode === null) {
      p.child.kill('SIGKILL');
      await p.exited;
    }
  }
}

/** Ids of a process's direct children, read from /proc (Linux), so no `ps` is needed. */
export function childPids(parent: number): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        // Field 4 of /proc/<pid>/stat is the parent id; the command name before it may contain spaces, so split after ')'.
        return Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ')[1]) === parent;
      } catch {
        return false; // exited while we looked
      }
    })
    .map(Number);
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
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
