import { FakeOAuthProvider, leniently } from '@tessera/testing';
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedPlatform, type SharedPlatform } from '../support/shared-platform.js';

/**
 * The proxy's edges, against an upstream this test runs: paths that try to leave baseUrl,
 * hung, stalled and huge answers, an API that refuses every token, hop-by-hop headers, HTML served through the gateway.
 */
interface Seen {
  url: string;
  headers: IncomingMessage['headers'];
}
let p: SharedPlatform;
let fake: FakeOAuthProvider;
let upstream: Server;
let evil: Server;
let upstreamUrl = '';
let evilUrl = '';
const seen: Seen[] = [];
const evilHits: Seen[] = [];

function upstreamHandler(req: IncomingMessage, res: ServerResponse): void {
  seen.push({ url: req.url!, headers: req.headers });
  const path = req.url!.split('?')[0];
  if (path === '/api/v1/hang') return;
  if (path === '/api/v1/stall') return void res.writeHead(200, { 'content-type': 'text/plain' }).write('first chunk, then silence');
  if (path === '/api/v1/huge') {
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    const chunk = Buffer.alloc(64 * 1024, 120);
    let sent = 0;
    const pump = () => {
      while (sent < 500 * 1024 * 1024 && res.write(chunk)) sent += chunk.length;
    };
    res.on('drain', pump);
    res.on('close', () => res.removeListener('drain', pump));
    return pump();
  }
  if (path === '/api/v1/huge-declared') return void res.writeHead(200, { 'content-length': String(500 * 1024 * 1024) }).write('x');
  if (path.startsWith('/api/v1/denied/')) return void res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"invalid_token"}');
  if (path === '/api/v1/page') {
    return void res
      .writeHead(200, {
        'content-type': 'text/html',
        connection: 'x-up-hop',
        'x-up-hop': 'connection-scoped',
        'keep-alive': 'timeout=99, max=7',
        'proxy-authenticate': 'Basic realm="up"',
        'set-cookie': 'session=upstream',
        'content-security-policy': "script-src 'unsafe-inline'",
      })
      .end('<script>alert(document.cookie)</script>');
  }
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ path, headers: req.headers }));
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  fake = await new FakeOAuthProvider().start();
  upstream = createServer(upstreamHandler);
  upstreamUrl = await listen(upstream);
  evil = createServer((req, res) => (evilHits.push({ url: req.url!, headers: req.headers }), res.end('pwned')));
  evilUrl = await listen(evil);
  p = await sharedPlatform();
  const provider = await p.http<{ id: string }>('POST', '/admin/providers', {
    name: 'edge-api',
    grantType: 'client_credentials',
    clientId: 'c',
    clientSecret: 's',
    tokenUrl: `${fake.url}/token`,
  });
  const token = (name: string, extra: object = {}) =>
    p.http('POST', '/admin/tokens', { name, providerId: provider.body.id, baseUrl: `${upstreamUrl}/api/v1`, ...extra });
  await token('edge', { proxyLimits: { firstByteTimeoutMs: 300, idleTimeoutMs: 300, maxResponseBytes: 1024 * 1024 } });
  await token('refused-a');
  await token('refused-b');
});
afterAll(async () => {
  await p?.stop();
  await fake?.stop();
  for (const server of [upstream, evil]) {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
  }
});

/** A request written byte for byte, as an attacker would: no client library normalises or refuses anything first. */
async function rawGet(path: string): Promise<number> {
  const { authorization } = await p.authHeaders();
  const target = new URL(p.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(target.port), target.hostname, () => {
      socket.write(Buffer.from(`GET ${path} HTTP/1.1\r\nHost: ${target.host}\r\nAuthorization: ${authorization}\r\nConnection: close\r\n\r\n`, 'utf8'));
    });
    let head = '';
    socket.on('data', (chunk) => {
      head += chunk.toString('latin1');
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0)));
  });
}

const evilHost = () => new URL(evilUrl).host;

describe("/proxy/:name/* stays under the token's baseUrl", () => {
  it('for a generated family of escape attempts: nothing reaches another path or host with the token', async () => {
    const dots = [
      '..',
      '.%2e',
      '%2e.',
      '%2E%2E',
      '%252e%252e',
      '.%09.',
      '.%0a.',
      '.%0d.',
      '%2e%00%2e',
      '%EF%BC%8E%EF%BC%8E',
      '%E3%80%82%E3%80%82',
      '..;',
      '..;x=1',
      '.',
      '%c0%ae%c0%ae',
    ];
    const slashes = ['/', '%2f', '%2F', '%252f', '\\', '%5c', '%5C', '%255c', '%EF%BC%8F'];
    const variants = [
      // Every dot form with every separator, at the start or two levels down (the unit spec tries ~1000 combinations).
      ...dots.flatMap((dot, d) => slashes.map((slash, s) => ((d + s) % 2 ? `${dot}${slash}x` : `a${slash}${dot}${slash}${dot}${slash}x`))),
      `/${evilHost()}/x`,
      `\\\\${evilHost()}/x`,
      `/\\${evilHost()}/x`,
      `%2f%2f${evilHost()}/x`,
      `@${evilHost()}/x`,
      `x@${evilHost()}/x`,
      `http://${evilHost()}/x`,
      `%5c%5c${evilHost()}/x`,
      `..%2f..%2f..%2fx`,
      'a/..%09/x',
      'A/%2E%2e/X',
    ];
    const statuses = new Map<string, number>();
    for (let i = 0; i < variants.length; i += 25) {
      await Promise.all(variants.slice(i, i + 25).map(async (variant) => statuses.set(variant, await rawGet(`/proxy/edge/${variant}`))));
    }
    const refused = [...statuses.values()].filter((status) => status === 400).length;
    // Whatever was forwarded landed under /api/v1/ however leniently the upstream reads it; the rest was refused.
    for (const { url } of seen) expect(leniently(url.split('?')[0]).startsWith('/api/v1/'), url).toBe(true);
    expect(evilHits).toEqual([]);
    expect(refused).toBeGreaterThan(variants.length * 0.8);
    for (const [variant, status] of statuses) expect([400, 200, 404].includes(status), `${variant} → ${status}`).toBe(true);
  });

  it('still forwards an ordinary path and query', async () => {
    const response = await fetch(`${p.url}/proxy/edge/contacts/42?x=1`, { headers: await p.authHeaders() });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { path: string }).path).toBe('/api/v1/contacts/42');
  });
});

describe('/proxy/:name/* limits', () => {
  it("answers 504 when the upstream sends nothing within the token's first-byte timeout", async () => {
    const started = Date.now();
    const response = await fetch(`${p.url}/proxy/edge/hang`, { headers: await p.authHeaders() });
    expect(response.status).toBe(504);
    expect(((await response.json()) as { message: string }).message).toMatch(/sent no answer within 300 ms/);
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('cuts an answer that goes silent (idle timeout) or grows past the size cap, and refuses a declared huge one', async () => {
    const started = Date.now();
    const stalled = await fetch(`${p.url}/proxy/edge/stall`, { headers: await p.authHeaders() });
    expect(stalled.status).toBe(200);
    await expect(stalled.text()).rejects.toThrow();
    const huge = await fetch(`${p.url}/proxy/edge/huge`, { headers: await p.authHeaders() });
    let received = 0;
    try {
      for await (const chunk of huge.body as unknown as AsyncIterable<Uint8Array>) received += chunk.byteLength;
    } catch {
      /* the gateway cut the stream */
    }
    expect(received).toBeLessThanOrEqual(1024 * 1024 + 128 * 1024);
    const declared = await fetch(`${p.url}/proxy/edge/huge-declared`, { headers: await p.authHeaders() });
    expect(declared.status).toBe(502);
    expect(((await declared.json()) as { message: string }).message).toMatch(/larger than 1048576 bytes/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

describe('/proxy/:name/* and an API that refuses every token', () => {
  it('20 proxied 401s in a row cause at most one token request', async () => {
    await p.http('GET', '/tokens/refused-a');
    const before = fake.tokenRequests.length;
    for (let i = 0; i < 20; i++) expect((await fetch(`${p.url}/proxy/refused-a/denied/${i}`, { headers: await p.authHeaders() })).status).toBe(401);
    expect(fake.tokenRequests.length - before).toBeLessThanOrEqual(1);
  });

  it('20 at once cause at most one token request too', async () => {
    await p.http('GET', '/tokens/refused-b');
    const before = fake.tokenRequests.length;
    const answers = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => (await fetch(`${p.url}/proxy/refused-b/denied/${i}`, { headers: await p.authHeaders() })).status),
    );
    expect(answers).toEqual(Array(20).fill(401));
    expect(fake.tokenRequests.length - before).toBeLessThanOrEqual(1);
  });
});

describe('/proxy/:name/* headers', () => {
  it('drops hop-by-hop headers both ways, including those a Connection header names, and sandboxes what it serves', async () => {
    const { authorization } = await p.authHeaders();
    const target = new URL(`${p.url}/proxy/edge/page`);
    const answer = await new Promise<IncomingMessage & { body: string }>((resolve, reject) => {
      httpRequest(
        {
          host: target.hostname,
          port: target.port,
          path: target.pathname,
          headers: {
            authorization,
            connection: 'keep-alive, x-down-hop',
            'x-down-hop': 'connection-scoped',
            'keep-alive': 'timeout=5',
            te: 'trailers',
            'proxy-authorization': 'Basic cHJveHk6c2VjcmV0',
            upgrade: 'h2c',
            cookie: 'console=1',
            'x-kept': 'yes',
          },
        },
        (res) => {
          let body = '';
          res.on('data', (chunk) => (body += chunk));
          res.on('end', () => resolve(Object.assign(res, { body })));
        },
      )
        .on('error', reject)
        .end();
    });
    const received = seen.filter((s) => s.url === '/api/v1/page').at(-1)!.headers;
    for (const name of ['x-down-hop', 'te', 'proxy-authorization', 'upgrade', 'cookie']) expect(received[name], name).toBeUndefined();
    expect(received['keep-alive']).not.toBe('timeout=5');
    expect(received['x-kept']).toBe('yes');
    expect(received.authorization).toMatch(/^Bearer at-/);
    expect(answer.statusCode).toBe(200);
    for (const name of ['x-up-hop', 'proxy-authenticate', 'set-cookie']) expect(answer.headers[name], name).toBeUndefined();
    expect(answer.headers['keep-alive']).not.toBe('timeout=99, max=7');
    expect(answer.headers['x-content-type-options']).toBe('nosniff');
    expect(answer.headers['content-security-policy']).toMatch(/^sandbox;.*default-src 'none'/);
    expect(answer.headers['content-type']).toBe('text/html');
  });
});
