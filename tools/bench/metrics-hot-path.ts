/**
 * What metrics on add to one token request's hot path in a process, measured in CPU time and so far less at the mercy
 * of a shared machine than tokens/s: the bus request measured (MeasuredBus) plus the instruments the gateway and
 * auth-server move per token (token endpoint counter and histogram, HTTP counter and histogram, tokens issued),
 * against the same in-process bus request unmeasured. Interleaved rounds.
 *
 *   npm run bench:metrics [-- --requests 200000 --rounds 4]
 */
import 'reflect-metadata';
import { InProcessBus, measuredBus, type Bus } from '@tessera/messaging';
import { createLogger, FAST_BUCKETS, Metrics } from '@tessera/observability';
import { parseArgs } from 'node:util';
import { machineInfo } from './machine.js';

const { values } = parseArgs({ options: { requests: { type: 'string', default: '200000' }, rounds: { type: 'string', default: '4' } } });
const requests = Number(values.requests);
const metrics = await Metrics.on();
const plain = new InProcessBus(createLogger({ level: 'silent' }));
await plain.connect();
plain.serve('tessera.auth.token.issue', 'auth-server', async () => ({ ok: true, data: { access_token: 'x' } }));
const measured = measuredBus(plain, metrics);
const tokenRequests = metrics
  .counter({ name: 'bench_token_requests_total', help: 'h', labelNames: ['grant_type', 'outcome'] })
  .labels('client_credentials', 'success');
const tokenLatency = metrics
  .histogram({ name: 'bench_token_seconds', help: 'h', labelNames: ['grant_type'], buckets: FAST_BUCKETS })
  .labels('client_credentials');
const responses = metrics
  .counter({ name: 'bench_http_responses_total', help: 'h', labelNames: ['route', 'method', 'status'] })
  .labels('/oauth/token', 'POST', '2xx');
const httpLatency = metrics
  .histogram({ name: 'bench_http_seconds', help: 'h', labelNames: ['route', 'method'], buckets: FAST_BUCKETS })
  .labels('/oauth/token', 'POST');
const issued = metrics.counter({ name: 'bench_tokens_issued_total', help: 'h', labelNames: ['grant_type'] }).labels('client_credentials');

/** CPU µs per request. */
async function run(bus: Bus, instrumented: boolean): Promise<number> {
  const before = process.cpuUsage();
  for (let i = 0; i < requests; i++) {
    const started = performance.now();
    await bus.request('tessera.auth.token.issue', { grant_type: 'client_credentials' }, { timeoutMs: 1000 });
    if (instrumented) {
      issued.inc();
      tokenRequests.inc();
      tokenLatency.observe((performance.now() - started) / 1000);
      responses.inc();
      httpLatency.observe((performance.now() - started) / 1000);
    }
  }
  const used = process.cpuUsage(before);
  return (used.user + used.system) / requests;
}

console.log(machineInfo());
const added: number[] = [];
for (let round = 1; round <= Number(values.rounds); round++) {
  const off = await run(plain, false);
  const on = await run(measured, true);
  added.push(on - off);
  console.log(`round ${round}: ${off.toFixed(2)} µs CPU per request with metrics off, ${on.toFixed(2)} µs on: +${(on - off).toFixed(2)} µs`);
}
added.sort((a, b) => a - b);
console.log(
  `metrics add ${added[Math.floor(added.length / 2)].toFixed(2)} µs CPU per token request (median of ${added.length} rounds; bench:tokens spends ~300-450 µs per token on this machine)`,
);
process.exit(0);
