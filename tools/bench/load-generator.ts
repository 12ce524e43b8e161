/**
 * The load generator, run in a child process of its own (`runLoad`) so it does not share an event loop with the
 * server under test: autocannon with keep-alive connections, one request shape, results sent back over IPC.
 */
import autocannon from 'autocannon';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { requestSigner, type RequestSigning } from './request-signing.js';

export interface LoadOptions {
  url: string;
  method: 'POST' | 'GET';
  headers: Record<string, string>;
  body?: string;
  connections: number;
  durationSeconds: number;
  /** Requests per second for all connections together; unset: as fast as the server answers. */
  overallRate?: number;
  /** A client assertion or a DPoP proof made for each request (both are refused when replayed). */
  signing?: RequestSigning;
}

export interface LoadResult {
  requests: number;
  ok: number;
  non2xx: number;
  errors: number;
  durationSeconds: number;
  perSecond: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  /** CPU time the load generator itself used, as a share of one core. */
  generatorCpu: number;
  /** The load generator's process id. */
  pid: number;
}

/** Runs one load in a child process and resolves with its figures. */
export function runLoad(options: LoadOptions): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), [JSON.stringify(options)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let result: LoadResult | undefined;
    child.on('message', (message) => (result = message as LoadResult));
    child.on('error', reject);
    child.on('exit', (code) => (result ? resolve({ ...result, pid: child.pid! }) : reject(new Error(`load generator exited with ${code}`))));
  });
}

async function generate(options: LoadOptions): Promise<Omit<LoadResult, 'pid'>> {
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const signer = options.signing && requestSigner(options.signing);
  const result = await autocannon({
    url: options.url,
    method: options.method,
    headers: options.headers,
    body: options.body,
    ...(signer
      ? {
          requests: [
            {
              setupRequest: (request: autocannon.Request) => ({
                ...request,
                body: signer.body(options.body ?? ''),
                headers: { ...request.headers, ...signer.headers() },
              }),
              onResponse: (_status: number, _body: string, _context: object, headers: autocannon.Request['headers']) => signer.answered(headers ?? {}),
            },
          ],
        }
      : {}),
    connections: options.connections,
    pipelining: 1,
    duration: options.durationSeconds,
    ...(options.overallRate ? { overallRate: options.overallRate } : {}),
  });
  const elapsed = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const ok = result['2xx'];
  return {
    requests: result.requests.total,
    ok,
    non2xx: result.non2xx,
    errors: result.errors,
    durationSeconds: result.duration,
    perSecond: ok / result.duration,
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    max: result.latency.max,
    generatorCpu: (cpu.user + cpu.system) / 1e6 / elapsed,
  };
}

if (process.send && process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = await generate(JSON.parse(process.argv[2]) as LoadOptions);
  process.send(result, () => process.exit(0));
}
