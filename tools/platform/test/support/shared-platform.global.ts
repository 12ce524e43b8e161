import 'reflect-metadata';
import { createTestDatabase, freeTcpPort, testEnvironment, type TestDatabase } from '@tessera/testing';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { TestProject } from 'vitest/node';
import { TEST_BROKER_OPTIONS } from './broker-options.js';
import { ADMIN_PASSWORD } from './sign-in.js';

/** What a test file gets to reach the shared platform: plain values, since it runs in another process. */
export interface SharedPlatformAddress {
  url: string;
  environment: Record<string, string>;
  databaseName: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    sharedPlatformControl: string;
  }
}

interface Running {
  address: SharedPlatformAddress;
  child: ChildProcess;
  db: TestDatabase;
}

/**
 * Vitest global setup of the platform project: one platform for every test file that asks for it (sharedPlatform()),
 * started on the first request and stopped after the run. Test files run in workers, so they ask over a loopback
 * HTTP endpoint whose address is provided to them; a run without such a file starts nothing. The platform runs in a
 * process of its own from the built dist/ (like every process the end-to-end tests start), not in Vitest's.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let started: Promise<Running> | undefined;
  const server: Server = createServer((request, response) => {
    if (request.method !== 'POST') return void response.writeHead(405).end();
    started ??= start();
    started.then(
      ({ address }) => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(address)),
      (error: unknown) => {
        started = undefined;
        response.writeHead(500).end(String(error instanceof Error ? (error.stack ?? error.message) : error));
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  project.provide('sharedPlatformControl', `http://127.0.0.1:${port}`);
  return async () => {
    await new Promise((resolve) => server.close(resolve));
    const running = await started?.catch(() => undefined);
    if (running) await stop(running);
  };
}

async function start(): Promise<Running> {
  const db = await createTestDatabase();
  const port = await freeTcpPort();
  const environment = testEnvironment(db, {
    TESSERA_ADMIN_PASSWORD: ADMIN_PASSWORD,
    PORT: String(port),
    TESSERA_ISSUER: `http://127.0.0.1:${port}`,
    // As the admin files' own platforms: a sign-in is an argon2id hash, which on a loaded machine can pass 2 s, and here
    // every file signs in. No file on it tests a bus timeout (those start their own platform).
    TESSERA_BUS_TIMEOUT_MS: '15000',
  });
  const child = spawn(process.execPath, ['--enable-source-maps', new URL('./shared-platform-process.mjs', import.meta.url).pathname], {
    env: { ...process.env, ...environment, TEST_BROKER_OPTIONS: JSON.stringify(TEST_BROKER_OPTIONS) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr!.on('data', (chunk) => (output += chunk));
  const ready = new Promise<string>((resolve, reject) => {
    let line = '';
    child.stdout!.on('data', (chunk) => {
      line += chunk;
      if (line.includes('\n')) resolve(line.slice(0, line.indexOf('\n')));
    });
    child.once('exit', (code) => reject(new Error(`the shared platform exited (${code}) before it was ready:\n${output}`)));
  });
  try {
    const { url } = JSON.parse(await ready) as { url: string };
    return { address: { url, environment, databaseName: db.name }, child, db };
  } catch (error) {
    child.kill('SIGKILL');
    await db.drop();
    throw error;
  }
}

async function stop({ child, db }: Running): Promise<void> {
  if (child.exitCode === null) {
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(timer);
  }
  await db.drop();
}
