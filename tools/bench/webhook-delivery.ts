/**
 * Webhook delivery under a hanging endpoint: `--events` access tokens are issued (each a `tessera.events.auth.token.issued`
 * event) at `--rate` per second while `--endpoints` endpoints listen to them, one of which never answers. Lag is from
 * the event's occurredAt to its arrival at a receiver (same clock, same machine); the target is the healthy endpoints'
 * p99 under 1 s: a dead endpoint must not delay anyone else.
 *
 *   npm run bench:webhooks [-- --events 1000 --endpoints 20 --rate 100]
 */
import 'reflect-metadata';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { postJson, startBenchPlatform } from './bench-platform.js';
import { machineInfo, percentile, processCpuTimes } from './machine.js';

const TARGET_P99_MS = 1_000;
const { values } = parseArgs({
  options: { events: { type: 'string', default: '1000' }, endpoints: { type: 'string', default: '20' }, rate: { type: 'string', default: '100' } },
});
const events = Number(values.events);
const endpointCount = Number(values.endpoints);
const rate = Number(values.rate);

/** A receiver answering 204 at once (or never), recording each message's lag once. */
async function receiver(hang: boolean, lags: number[]): Promise<{ server: Server; url: string; received: Set<string> }> {
  const received = new Set<string>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (hang) return;
      const id = String(req.headers['webhook-id']);
      if (!received.has(id)) {
        received.add(id);
        lags.push(Date.now() - Date.parse((JSON.parse(Buffer.concat(chunks).toString('utf8')) as { occurredAt: string }).occurredAt));
      }
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received };
}

console.log(machineInfo());
const platform = await startBenchPlatform('in-process', 'shared', { env: { TESSERA_EGRESS_ALLOW: '127.0.0.0/8' } });
const lags: number[] = [];
const receivers = await Promise.all(Array.from({ length: endpointCount }, (_, i) => receiver(i === 0, lags)));
try {
  for (const r of receivers) await postJson(`${platform.url}/admin/webhooks`, { url: r.url, eventTypes: ['auth.token.issued'] }, platform.adminToken);
  // The intake's endpoint list is cached for 2 s.
  await new Promise((resolve) => setTimeout(resolve, 2_500));
  const started = Date.now();
  const counted = await platform.cpuPids();
  const cpuBefore = processCpuTimes();
  let refused = 0;
  for (let i = 0; i < events; i++) {
    const due = started + (i * 1000) / rate;
    if (due > Date.now()) await new Promise((resolve) => setTimeout(resolve, due - Date.now()));
    void fetch(`${platform.url}/oauth/token`, {
      method: 'POST',
      headers: { authorization: platform.basicAuth, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    })
      .then(async (r) => {
        await r.arrayBuffer();
        if (!r.ok) refused++;
      })
      .catch(() => refused++);
  }
  const healthy = receivers.slice(1);
  // Tokens the platform refused (a burst beyond its limits) make no event: wait only for those that were issued.
  const expected = () => events - refused;
  const deadline = Date.now() + 120_000;
  while (healthy.some((r) => r.received.size < expected()) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
  const cpuAfter = processCpuTimes();
  // The pool may have replaced connections meanwhile: count the backends there at the start and at the end.
  const countedAfter = await platform.cpuPids();
  // The load is shared with whatever else runs on the machine: CPU per delivery compares runs, wall-clock lag less so.
  const cpuOf = (pids: number[]) => pids.reduce((sum, pid) => sum + Math.max(0, (cpuAfter.get(pid)?.seconds ?? 0) - (cpuBefore.get(pid)?.seconds ?? 0)), 0);
  const [platformCpu, postgresCpu] = [cpuOf(counted.platform), cpuOf([...new Set([...counted.postgres, ...countedAfter.postgres])])];
  const sorted = [...lags].sort((a, b) => a - b);
  const delivered = healthy.reduce((n, r) => n + r.received.size, 0);
  console.log(
    `webhooks: ${expected()} events (${refused} token requests failed) at ${rate}/s to ${endpointCount} endpoints (1 hanging): ${delivered}/${expected() * (endpointCount - 1)} delivered to the healthy ones in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  console.log(
    `CPU: platform ${platformCpu.toFixed(1)} s (this process: the services, the token requests and the receivers) + postgres ${postgresCpu.toFixed(1)} s = ${(((platformCpu + postgresCpu) * 1e6) / Math.max(1, delivered)).toFixed(0)} µs per delivered message; load average now ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  console.log(
    `lag ms: p50 ${percentile(sorted, 50)} · p90 ${percentile(sorted, 90)} · p99 ${percentile(sorted, 99)} · max ${sorted.at(-1)} (target p99 < ${TARGET_P99_MS}: ${percentile(sorted, 99) < TARGET_P99_MS ? 'met' : 'NOT met'})`,
  );
} finally {
  for (const r of receivers) r.server.closeAllConnections();
  await Promise.all(receivers.map((r) => new Promise((resolve) => r.server.close(resolve))));
  await platform.stop();
}
