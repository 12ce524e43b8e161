import { parseEgressAllow } from '@tessera/config';
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Egress, EgressPolicy, EgressRefusedError, EgressTimeoutError, ResponseTooLargeError } from '../src/index.js';

let api: Server;
let apiPort: number;
let hits = 0;
let silent: TcpServer;
let silentPort: number;
const silentSockets: import('node:net').Socket[] = [];
let closedPort: number;
beforeAll(async () => {
  api = createServer((req, res) => {
    hits++;
    if (req.url === '/big') return void res.end('x'.repeat(4096));
    if (req.url === '/stream') {
      res.writeHead(200);
      const timer = setInterval(() => res.write('y'.repeat(1024)), 1);
      res.on('close', () => clearInterval(timer));
      return;
    }
    if (req.url === '/stall') {
      res.writeHead(200);
      return void res.write('first');
    }
    res.end('ok');
  });
  await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
  apiPort = (api.address() as AddressInfo).port;
  // Accepts connections and never says a word: a hung upstream.
  silent = createTcpServer((socket) => void silentSockets.push(socket));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  silentPort = (silent.address() as AddressInfo).port;
  const probe = createTcpServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  closedPort = (probe.address() as AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));
});
afterAll(async () => {
  api.closeAllConnections();
  await new Promise((resolve) => api.close(resolve));
  for (const socket of silentSockets) socket.destroy();
  await new Promise((resolve) => silent.close(resolve));
});

const distributed = (allow: string) => EgressPolicy.fromConfig({ mode: 'distributed', egressAllow: parseEgressAllow(allow).entries });

describe('Egress', () => {
  it('refuses a loopback address it was not told to allow, with the same words for an open and a closed port, before connecting', async () => {
    const egress = new Egress(distributed(''));
    const before = hits;
    const closed = (await egress.fetch(`http://127.0.0.1:${closedPort}/`).catch((e: Error) => e)) as Error;
    const open = (await egress.fetch(`http://127.0.0.1:${apiPort}/`).catch((e: Error) => e)) as Error;
    expect(open).toBeInstanceOf(EgressRefusedError);
    expect(closed).toBeInstanceOf(EgressRefusedError);
    expect(open.message.replaceAll(String(apiPort), 'PORT')).toBe(closed.message.replaceAll(String(closedPort), 'PORT'));
    expect(open.message).toBe(
      `http://127.0.0.1:${apiPort} is not allowed by the egress policy (a private or loopback address: to allow it, list it in TESSERA_EGRESS_ALLOW, e.g. TESSERA_EGRESS_ALLOW=127.0.0.1:${apiPort}, and restart)`,
    );
    expect(hits).toBe(before);
    await egress.close();
  });

  it('judges the address a name resolves to, not the name (localhost is loopback)', async () => {
    const egress = new Egress(distributed(`127.0.0.1:${apiPort + 1}`));
    await expect(egress.fetch(`http://localhost:${apiPort}/`)).rejects.toBeInstanceOf(EgressRefusedError);
    const allowed = new Egress(distributed(`127.0.0.1:${apiPort}`));
    expect(await (await allowed.fetch(`http://localhost:${apiPort}/`)).text()).toBe('ok');
    await Promise.all([egress.close(), allowed.close()]);
  });

  it('connects to the very address it checked: a name re-bound to loopback between lookups never reaches it', async () => {
    // A re-binding DNS server: a public (unroutable) address on odd lookups, loopback on even ones. A check made on
    // one lookup and a connect made on another would reach the loopback API on some of these calls.
    let lookups = 0;
    const egress = new Egress(distributed(''), async () => (++lookups % 2 ? ['192.0.2.1'] : ['127.0.0.1']));
    const before = hits;
    for (let i = 0; i < 6; i++) await egress.fetch(`http://rebind.test:${apiPort}/`, {}, { connectTimeoutMs: 100 }).catch(() => undefined);
    expect(lookups).toBeGreaterThanOrEqual(6);
    expect(hits).toBe(before);
    await egress.close();
  });

  it('never reaches link-local or metadata addresses, even with everything allowed', async () => {
    const egress = new Egress(EgressPolicy.fromConfig({ mode: 'embedded', egressAllow: parseEgressAllow('0.0.0.0/0,::/0').entries }), async () => [
      '169.254.169.254',
    ]);
    for (const url of [
      'http://169.254.169.254/latest/meta-data/',
      'http://metadata.google.internal/computeMetadata/v1/',
      'http://[fe80::1]/',
      'http://[::ffff:169.254.169.254]/',
      'http://0.0.0.0/',
    ]) {
      await expect(egress.fetch(url), url).rejects.toBeInstanceOf(EgressRefusedError);
    }
    await expect(egress.fetch('file:///etc/passwd')).rejects.toBeInstanceOf(EgressRefusedError);
    await egress.close();
  });

  it('stops a hung upstream at the first-byte timeout and a silent body at the idle timeout', async () => {
    const egress = new Egress(distributed('127.0.0.0/8'));
    const started = Date.now();
    const hung = await egress.fetch(`http://127.0.0.1:${silentPort}/`, {}, { firstByteTimeoutMs: 200 }).catch((e: Error) => e);
    expect(hung).toBeInstanceOf(EgressTimeoutError);
    expect((hung as EgressTimeoutError).phase).toBe('first_byte');
    const stalled = await egress.fetch(`http://127.0.0.1:${apiPort}/stall`, {}, { idleTimeoutMs: 200 });
    await expect(stalled.text()).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(3_000);
    await egress.close();
  });

  it('caps the answer: refused up front by Content-Length, cut while streaming otherwise', async () => {
    const egress = new Egress(distributed('127.0.0.0/8'));
    await expect(egress.fetch(`http://127.0.0.1:${apiPort}/big`, {}, { maxResponseBytes: 1000 })).rejects.toBeInstanceOf(ResponseTooLargeError);
    const streaming = await egress.fetch(`http://127.0.0.1:${apiPort}/stream`, {}, { maxResponseBytes: 64 * 1024 });
    const error = await streaming.arrayBuffer().catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect(String((error as Error).message) + String((error as { cause?: Error }).cause?.message)).toMatch(/larger than 65536 bytes/);
    await egress.close();
  });
});
