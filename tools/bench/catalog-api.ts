/**
 * GET /admin/catalog latency: the whole platform started in-process on the machine's Postgres and NATS, then the
 * catalog listed (no filter, a word search, a category) one request at a time, as the console does, through the
 * gateway, the bus and the broker.
 *
 *   npm run bench:catalog-api [-- --requests 300]
 *
 * Sequential on purpose: the figure is one admin's wait, not the platform's throughput. Target: p50 under 5 ms.
 */
import { parseArgs } from 'node:util';
import { startBenchPlatform } from './bench-platform.js';
import { machineInfo, percentile } from './machine.js';

const TARGET_P50_MS = 5;
const { values } = parseArgs({ options: { requests: { type: 'string', default: '300' } } });
const requests = Number(values.requests);
const QUERIES = ['', '?search=microsoft', '?category=crm'];
/** The yardstick: another admin read through the same gateway, bus and broker (one database query). */
const BASELINE = '/admin/providers?limit=1';

console.log(machineInfo());
const platform = await startBenchPlatform('in-process', 'shared');
try {
  const time = async (path: string) => {
    const started = performance.now();
    const response = await fetch(`${platform.url}${path}`, { headers: { authorization: `Bearer ${platform.adminToken}` } });
    const body = (await response.json()) as { items?: unknown[] };
    if (response.status !== 200 || !body.items) throw new Error(`GET ${path}: ${response.status}`);
    return performance.now() - started;
  };
  const get = (query: string) => time(`/admin/catalog${query}`);
  const sorted = (times: number[]) => [...times].sort((a, b) => a - b);
  for (let i = 0; i < 30; i++) await get(QUERIES[i % QUERIES.length]); // warm the JIT and the connections
  const byQuery = new Map<string, number[]>(QUERIES.map((q) => [q, []]));
  const baseline: number[] = [];
  for (let i = 0; i < requests; i++) {
    // interleaved with the yardstick, so a change in the machine's load hits both alike
    const query = QUERIES[i % QUERIES.length];
    byQuery.get(query)!.push(await get(query));
    baseline.push(await time(BASELINE));
  }
  const all = [...byQuery.values()].flat();
  for (const [query, times] of byQuery)
    console.log(
      `GET /admin/catalog${query || ' (all)'}: p50 ${percentile(sorted(times), 50).toFixed(2)} ms, p95 ${percentile(sorted(times), 95).toFixed(2)} ms (${times.length} requests)`,
    );
  console.log(`GET ${BASELINE} (yardstick): p50 ${percentile(sorted(baseline), 50).toFixed(2)} ms, p95 ${percentile(sorted(baseline), 95).toFixed(2)} ms`);
  const p50 = percentile(sorted(all), 50);
  console.log(
    `catalog, all queries: p50 ${p50.toFixed(2)} ms, p95 ${percentile(sorted(all), 95).toFixed(2)} ms — target p50 < ${TARGET_P50_MS} ms: ${p50 < TARGET_P50_MS ? 'met' : 'NOT met'}`,
  );
} finally {
  await platform.stop();
}
