import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const NATS_SERVER = process.env.TEST_NATS_SERVER_BIN ?? '/usr/sbin/nats-server';

/**
 * A nats-server of the test's own, with JetStream on a temporary store, for tests that stop or restart the bus
 * (never the machine's shared one). `restart` keeps the port and the store, as an operator's restart does.
 */
export interface OwnNatsServer {
  url: string;
  port: number;
  /** Stops the server (SIGTERM, or SIGKILL with `kill`), waits until the port is closed. */
  stop(options?: { kill?: boolean }): Promise<void>;
  /** Starts it again on the same port and store; resolves once it accepts connections. */
  start(): Promise<void>;
  /** Stops it for good and removes its store. */
  dispose(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

export async function startOwnNatsServer(): Promise<OwnNatsServer> {
  const port = await freePort();
  const store = mkdtempSync(join(tmpdir(), 'tessera-nats-'));
  let child: ChildProcess | undefined;
  const start = async () => {
    if (child && child.exitCode === null) return;
    child = spawn(NATS_SERVER, ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', store], { stdio: 'ignore' });
    for (let waited = 0; !(await accepts(port)); waited += 25) {
      if (waited > 10_000 || child.exitCode !== null) throw new Error(`nats-server did not start on port ${port}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };
  const stop = async ({ kill = false } = {}) => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill(kill ? 'SIGKILL' : 'SIGTERM');
    await exited;
  };
  await start();
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    stop,
    start,
    dispose: async () => {
      await stop({ kill: true });
      rmSync(store, { recursive: true, force: true });
    },
  };
}
