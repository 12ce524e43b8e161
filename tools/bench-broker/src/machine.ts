import { cpus, freemem, totalmem } from 'node:os';
import { fork, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

/** What a benchmark figure means depends on where it ran: every benchmark prints this first. */
export async function describeMachine(databaseUrl: string): Promise<string> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const [{ version }] = (await client.query<{ version: string }>('SELECT version()')).rows;
  await client.end();
  const cpu = cpus();
  return [
    `machine: ${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM (${(freemem() / 2 ** 30).toFixed(1)} free)`,
    `node ${process.version} on ${process.platform}/${process.arch}; ${version.split(',')[0]}`,
  ].join('\n');
}

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export function env(name: string, fallback: number): number {
  const value = process.env[name];
  return value ? Number(value) : fallback;
}

/** Starts the fake OAuth provider (token endpoint and /api) in its own process; `stop` ends it. */
export async function startFakeProviderProcess(expiresIn = 3600, record = true): Promise<{ url: string; child: ChildProcess; stop(): void }> {
  const child = fork(join(dirname(fileURLToPath(import.meta.url)), 'fake-provider-process.js'), [String(expiresIn), record ? 'record' : 'norecord'], {
    stdio: 'inherit',
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (message) => resolve((message as { url: string }).url));
    child.once('exit', (code) => reject(new Error(`fake provider exited with ${code}`)));
  });
  return { url, child, stop: () => child.disconnect() };
}
