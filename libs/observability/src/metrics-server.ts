import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { Metrics } from './metrics.js';

export interface MetricsEndpointOptions {
  port: number;
  host: string;
  /** When set, a scrape must send `Authorization: Bearer <token>`. */
  token?: string;
  logger: Logger;
}

export interface MetricsEndpoint {
  /** `http://host:port/metrics`. */
  url: string;
  stop(): Promise<void>;
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * The process's metrics on a port of their own (never the gateway's public one), GET /metrics only. Bound to loopback
 * unless METRICS_HOST says otherwise; with TESSERA_METRICS_TOKEN a scrape needs the bearer token as well.
 */
export async function startMetricsEndpoint(metrics: Metrics, options: MetricsEndpointOptions): Promise<MetricsEndpoint> {
  const expected = options.token ? digest(options.token) : undefined;
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '').split('?')[0];
    if (path !== '/metrics' || (request.method !== 'GET' && request.method !== 'HEAD')) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    if (expected) {
      const presented = /^Bearer (\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
      // Digests so the comparison takes the same time whatever the length of what was presented.
      if (!presented || !timingSafeEqual(digest(presented), expected)) {
        response.writeHead(401, { 'content-type': 'text/plain', 'www-authenticate': 'Bearer realm="tessera-metrics"' }).end('unauthorized\n');
        return;
      }
    }
    metrics.exposition().then(
      ({ contentType, body }) =>
        response.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' }).end(request.method === 'HEAD' ? undefined : body),
      (err) => {
        options.logger.warn({ err }, 'could not collect metrics');
        response.writeHead(500, { 'content-type': 'text/plain' }).end('metrics unavailable\n');
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  const url = `http://${host}:${port}/metrics`;
  const loopback = /^(127\.|::1$|localhost$)/.test(options.host);
  if (!loopback && !options.token)
    options.logger.warn({ url }, 'metrics are served beyond loopback without TESSERA_METRICS_TOKEN: keep the port off public networks');
  options.logger.info({ url }, 'metrics endpoint listening');
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
