import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect, createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateNatsConfig, type GenerateOptions } from './generate.js';

/** Debian's nats-server (2.9). */
export const NATS_SERVER = '/usr/sbin/nats-server';

export interface LocalNats {
  url: string;
  port: number;
  /** The generated credential directory (TESSERA_NATS_CREDENTIALS), when secured. */
  credentials?: string;
  configFile?: string;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function waitForPort(port: number, withinMs: number): Promise<void> {
  const until = Date.now() + withinMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => { socket.destroy(); resolve(); });
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() > until) reject(new Error(`nats-server did not listen on ${port}`));
        else setTimeout(attempt, 50);
      });
    };
    attempt();
  });
}

/**
 * A nats-server of one's own on a free port, for tests and benchmarks that secure it (never the machine's shared
 * one): open (`secured` undefined) or started from `npm run nats:config`'s generated configuration.
 */
export async function startLocalNats(secured?: Omit<GenerateOptions, 'dir'>): Promise<LocalNats> {
  const store = await mkdtemp(join(tmpdir(), 'tessera-nats-js-'));
  const credentials = secured ? await mkdtemp(join(tmpdir(), 'tessera-nats-creds-')) : undefined;
  const configFile = secured ? (await generateNatsConfig({ ...secured, dir: credentials! })).configFile : undefined;
  const port = await freePort();
  const server: ChildProcess = spawn(NATS_SERVER, ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', store, ...(configFile ? ['-c', configFile] : [])], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  server.stderr!.on('data', (chunk) => (log += chunk));
  const exited = new Promise((resolve) => server.on('exit', resolve));
  await waitForPort(port, 10_000).catch((error) => { server.kill('SIGKILL'); throw new Error(`${error}\n${log}`); });
  return {
    url: `${secured?.tls ? 'tls' : 'nats'}://127.0.0.1:${port}`,
    port,
    credentials,
    configFile,
    stop: async () => {
      if (server.exitCode === null) {
        server.kill('SIGTERM');
        await exited;
      }
      if (credentials) await rm(credentials, { recursive: true, force: true });
      await rm(store, { recursive: true, force: true });
    },
  };
}

export interface TestCertificates { dir: string; ca: string; serverCert: string; serverKey: string; clientCert: string; clientKey: string }

/** A throwaway CA, a server certificate for 127.0.0.1/localhost and a client certificate (openssl, P-256, one day). */
export async function makeTestCertificates(): Promise<TestCertificates> {
  const dir = await mkdtemp(join(tmpdir(), 'tessera-tls-'));
  const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  run('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1', '-subj', '/CN=tessera-test-ca', '-keyout', 'ca-key.pem', '-out', 'ca.pem');
  for (const [name, extension] of [['server', 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth'], ['client', 'extendedKeyUsage=clientAuth']]) {
    run('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', `/CN=${name}`, '-keyout', `${name}-key.pem`, '-out', `${name}.csr`);
    writeFileSync(join(dir, `${name}.ext`), `${extension}\n`);
    run('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca-key.pem', '-CAcreateserial', '-days', '1', '-out', `${name}.pem`, '-extfile', `${name}.ext`);
  }
  const file = (name: string) => join(dir, name);
  return { dir, ca: file('ca.pem'), serverCert: file('server.pem'), serverKey: file('server-key.pem'), clientCert: file('client.pem'), clientKey: file('client-key.pem') };
}
