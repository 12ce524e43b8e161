/**
 * Token endpoint benchmark: client_credentials through the gateway, 50 concurrent keep-alive clients for ~10 s,
 * against Tessera in distributed mode (real Postgres + NATS), then the same load against oidc-provider.
 *
 *   npm run bench:tokens [-- --duration 10 --connections 50 --no-reference --metrics off,on --rounds 3]
 *
 * `--metrics off,on` runs each set-up with Prometheus metrics off (METRICS_PORT unset) and on (an endpoint per
 * process, scraped every 5 s during the run as Prometheus would) and prints the ratio.
 *
 * The platform runs in this process, each load generator and the reference in a child process of its own, so on a
 * 2-core machine the generator takes one core's worth away from the servers: the figures are for that set-up.
 */
import { parseArgs } from 'node:util';
import { startBenchPlatform, type BusMode, type Topology } from './bench-platform.js';
import { runLoad, type LoadOptions, type LoadResult } from './load-generator.js';
import { cpuBreakdown, machineInfo, processCpuTimes } from './machine.js';
import { startReference, type ReferenceFormat } from './oidc-reference.js';
import { startTraceSink, type TraceSink } from './trace-sink.js';

const TARGET_PER_SECOND = 2_500;
const TARGET_P99_MS = 25;
const TARGET_RATIO = 0.5;
/** Credentials and permissions on the bus must keep at least this share of the open bus's throughput. */
const TARGET_SECURED_RATIO = 0.95;
/** Metrics on must keep at least this share of the throughput with metrics off. */
const TARGET_METRICS_RATIO = 0.97;
const SCRAPE_INTERVAL_MS = 5_000;
/** `--tracing`: off, or OTLP export to a local sink with this share of requests sampled (parentbased_traceidratio). */
type TracingMode = 'off' | '100' | '1';
const TRACING_LABELS: Record<TracingMode, string> = { off: '', 100: ', tracing 100 %', 1: ', tracing 1 %' };

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '3' },
    connections: { type: 'string', default: '50' },
    'no-reference': { type: 'boolean', default: false },
    topology: { type: 'string', default: 'both' },
    bus: { type: 'string', default: 'open,secured,tls' },
    // Interleaved rounds (open, secured, tls, open, …), best of each: on a busy machine one run per bus compares loads.
    rounds: { type: 'string', default: '1' },
    // off, on, or off,on: Prometheus metrics (METRICS_PORT) for each set-up.
    metrics: { type: 'string', default: 'off' },
    // Tracing off, and on at 100 % and 1 % sampling (exported to a local OTLP sink).
    tracing: { type: 'string', default: 'off' },
    // A fixed request rate: on a machine others load too, CPU per token at one rate compares code, not luck.
    rate: { type: 'string' },
  },
});
const durationSeconds = Number(values.duration);
const warmupSeconds = Number(values.warmup);
const connections = Number(values.connections);

function clientCredentialsLoad(url: string, basicAuth: string, seconds: number): LoadOptions {
  return {
    url,
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basicAuth },
    body: 'grant_type=client_credentials',
    connections,
    durationSeconds: seconds,
    overallRate: values.rate ? Number(values.rate) : undefined,
  };
}

function line(label: string, r: LoadResult): string {
  return `${label.padEnd(34)} ${r.perSecond.toFixed(0).padStart(6)} tokens/s   p50 ${String(r.p50).padStart(3)} ms   p90 ${String(r.p90).padStart(3)} ms   p99 ${String(r.p99).padStart(3)} ms   max ${String(r.max).padStart(4)} ms   ${r.ok} ok, ${r.non2xx} non-2xx, ${r.errors} errors   generator ${(r.generatorCpu * 100).toFixed(0)}% of a core`;
}

/** One request by hand first, so a broken set-up fails loudly instead of benchmarking 401s. */
async function checkIssues(url: string, basicAuth: string, expectRefresh: boolean): Promise<void> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basicAuth },
    body: 'grant_type=client_credentials',
  });
  const body = (await response.json()) as { access_token?: string; refresh_token?: string };
  if (response.status !== 200 || !body.access_token || (expectRefresh && !body.refresh_token))
    throw new Error(`${url} did not issue a token: ${response.status} ${JSON.stringify(body)}`);
}

/** Scrapes every endpoint every few seconds while `work` runs, as Prometheus would; the count of scrapes made. */
async function whileScraped<T>(urls: string[], work: Promise<T>): Promise<{ result: T; scrapes: number }> {
  let scrapes = 0;
  const scrape = () =>
    void Promise.all(
      urls.map(async (url) => {
        const response = await fetch(url);
        if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
        await response.text();
        scrapes++;
      }),
    ).catch((error) => console.error(`scrape failed: ${error}`));
  const timer = urls.length ? setInterval(scrape, SCRAPE_INTERVAL_MS) : undefined;
  try {
    return { result: await work, scrapes };
  } finally {
    clearInterval(timer);
  }
}

/** Warm-up, then the measured run; also the CPU this process used during the measured run only. */
async function measure(label: string, load: LoadOptions, serverPids: number[], metricsUrls: string[] = []): Promise<LoadResult & { cpuMs: number }> {
  if (warmupSeconds > 0) await runLoad({ ...load, durationSeconds: warmupSeconds });
  const cpuBefore = process.cpuUsage();
  const machineBefore = processCpuTimes();
  const started = performance.now();
  const { result, scrapes } = await whileScraped(metricsUrls, runLoad(load));
  const machineAfter = processCpuTimes();
  const cpu = process.cpuUsage(cpuBefore);
  console.log(line(label, result));
  if (metricsUrls.length) console.log(`${''.padEnd(34)} ${scrapes} scrapes of ${metricsUrls.length} metrics endpoint(s) during the run`);
  const breakdown = cpuBreakdown(machineBefore, machineAfter, (performance.now() - started) / 1000, {
    'server under test': (pid) => serverPids.includes(pid),
    postgres: (_pid, name) => name.startsWith('postgres'),
    'nats-server': (_pid, name) => name.startsWith('nats-server'),
  });
  if (breakdown) console.log(`${''.padEnd(34)} cores used: ${breakdown}`);
  return { ...result, cpuMs: (cpu.user + cpu.system) / 1000 };
}

const TOPOLOGY_LABELS: Record<Topology, string> = { 'in-process': 'tessera, services in one process', processes: 'tessera, one process per service' };
const BUS_LABELS: Record<BusMode, string> = { shared: '', open: ', open bus', secured: ', secured bus', tls: ', secured bus + TLS' };

function tracingEnv(mode: TracingMode, sink: TraceSink | undefined): Record<string, string> {
  if (mode === 'off' || !sink) return {};
  return { OTEL_EXPORTER_OTLP_ENDPOINT: sink.url, OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: String(Number(mode) / 100) };
}

type TesseraResult = LoadResult & { cpuPerToken?: number };

async function benchTessera(topology: Topology, bus: BusMode, metrics: MetricsMode, tracing: TracingMode = 'off', sink?: TraceSink): Promise<TesseraResult> {
  const platform = await startBenchPlatform(topology, bus, { metrics: metrics === 'on', env: tracingEnv(tracing, sink) });
  try {
    const tokenUrl = `${platform.url}/oauth/token`;
    await checkIssues(tokenUrl, platform.basicAuth, true);
    const label = `${TOPOLOGY_LABELS[topology]}${BUS_LABELS[bus]}${metricsModes.length > 1 ? `, metrics ${metrics}` : ''}${TRACING_LABELS[tracing]}`;
    const exportedBefore = sink && (await sink.stats());
    const result = await measure(label, clientCredentialsLoad(tokenUrl, platform.basicAuth, durationSeconds), platform.pids, platform.metricsUrls);
    if (sink && tracing !== 'off') {
      const after = await sink.stats();
      console.log(
        `${''.padEnd(34)} sent to the OTLP sink during the run (and warm-up's tail): ${after.exports - exportedBefore!.exports} exports, ${((after.bytes - exportedBefore!.bytes) / 1e6).toFixed(1)} MB`,
      );
    }
    const families = await platform.database.query<{ n: string }>('SELECT count(*) AS n FROM "auth"."refresh_token_family"');
    const cpuPerToken = (result.cpuMs * 1000) / result.requests;
    if (topology === 'in-process')
      console.log(
        `${''.padEnd(34)} platform process: ${((result.cpuMs / 1000 / result.durationSeconds) * 100).toFixed(0)}% of a core, ${cpuPerToken.toFixed(0)} µs CPU per token`,
      );
    console.log(`${''.padEnd(34)} ${families[0].n} refresh-token families stored in Postgres`);
    return { ...result, cpuPerToken: topology === 'in-process' ? cpuPerToken : undefined };
  } finally {
    await platform.stop();
  }
}

async function benchReference(format: ReferenceFormat): Promise<LoadResult> {
  const reference = await startReference(format);
  try {
    const basicAuth = `Basic ${Buffer.from(`${reference.clientId}:${reference.clientSecret}`).toString('base64')}`;
    await checkIssues(reference.tokenUrl, basicAuth, false);
    return await measure(`oidc-provider 9 (${format} token)`, clientCredentialsLoad(reference.tokenUrl, basicAuth, durationSeconds), [reference.pid]);
  } finally {
    await reference.stop();
  }
}

console.log(machineInfo());
console.log(
  `load: client_credentials (client_secret_basic), ${connections} keep-alive connections${values.rate ? `, ${values.rate} requests/s` : ''}, ${warmupSeconds} s warm-up + ${durationSeconds} s, autocannon in a child process`,
);
const topologies: Topology[] = values.topology === 'both' ? ['in-process', 'processes'] : [values.topology as Topology];
const buses = values.bus.split(',').map((b) => b.trim()) as BusMode[];
type MetricsMode = 'off' | 'on';
const metricsModes = values.metrics.split(',').map((m) => m.trim()) as MetricsMode[];
for (const mode of metricsModes) if (mode !== 'off' && mode !== 'on') throw new Error(`--metrics: ${mode} is not off or on`);
for (const bus of buses) if (!(bus in BUS_LABELS)) throw new Error(`--bus: ${bus} is not one of ${Object.keys(BUS_LABELS).join(', ')}`);
const tracings = values.tracing.split(',').map((t) => t.trim().replace(/%$/, '')) as TracingMode[];
for (const mode of tracings) if (!(mode in TRACING_LABELS)) throw new Error(`--tracing: ${mode} is not one of ${Object.keys(TRACING_LABELS).join(', ')}`);
const sink = tracings.some((mode) => mode !== 'off') ? await startTraceSink() : undefined;
if (sink) console.log(`tracing: ${tracings.join(', ')} (OTLP http/protobuf to a local sink in a child process, parentbased_traceidratio)`);
console.log(
  `bus: ${buses.join(', ')} (open/secured/tls: a nats-server 2.9 of the bench's own each; secured = generated nkeys + permissions, npm run nats:config)`,
);
let ours: LoadResult | undefined;
const byBus = new Map<BusMode, LoadResult>();
/** Best of each (topology, bus, metrics), for the metrics on/off ratio. */
const byMetrics = new Map<string, LoadResult>();
/** Every run of each tracing mode, for the traced/off medians. */
const byTracing = new Map<TracingMode, TesseraResult[]>();
const keep = (map: Map<string, LoadResult>, key: string, result: LoadResult) => {
  if (!map.has(key) || result.perSecond > map.get(key)!.perSecond) map.set(key, result);
};
for (const topology of topologies) {
  for (const bus of Array.from({ length: Math.max(1, Number(values.rounds)) }, () => buses).flat()) {
    // Interleaved (off, on, off, on …) so both see the same spells of load from the rest of the machine.
    for (const metrics of metricsModes)
      for (const tracing of tracings) {
        const result = await benchTessera(topology, bus, metrics, tracing, sink);
        byTracing.set(tracing, [...(byTracing.get(tracing) ?? []), result]);
        if (tracing !== tracings[0]) continue;
        keep(byMetrics, `${topology}|${bus}|${metrics}`, result);
        // The other comparisons and targets use the runs of the first metrics mode asked for (off by default).
        if (metrics !== metricsModes[0]) continue;
        keep(byBus as Map<string, LoadResult>, bus, result);
        if (bus !== 'secured' && bus !== 'tls' && (!ours || result.perSecond > ours.perSecond)) ours = result;
      }
  }
}
await sink?.stop();
/** Median of the rounds (interleaved, so each mode saw the machine's moods alike). */
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const summary = (results: TesseraResult[] | undefined) =>
  results && {
    perSecond: median(results.map((r) => r.perSecond)),
    p99: median(results.map((r) => r.p99)),
    cpuPerToken: results.every((r) => r.cpuPerToken) ? median(results.map((r) => r.cpuPerToken!)) : undefined,
  };
const untraced = summary(byTracing.get('off'));
for (const mode of ['100', '1'] as const) {
  const traced = summary(byTracing.get(mode));
  if (!untraced || !traced) continue;
  const cpu =
    traced.cpuPerToken && untraced.cpuPerToken
      ? `; CPU per token in the platform process ${traced.cpuPerToken.toFixed(0)} vs ${untraced.cpuPerToken.toFixed(0)} µs: ${(traced.cpuPerToken / untraced.cpuPerToken).toFixed(3)}×`
      : '';
  console.log(
    `tracing at ${mode} % / off, medians of ${byTracing.get(mode)!.length}: ${(traced.perSecond / untraced.perSecond).toFixed(3)}× tokens/s (${traced.perSecond.toFixed(0)} vs ${untraced.perSecond.toFixed(0)}; p99 ${traced.p99} vs ${untraced.p99} ms)${cpu}`,
  );
}
const metricsVerdicts: string[] = [];
for (const topology of topologies)
  for (const bus of buses) {
    const off = byMetrics.get(`${topology}|${bus}|off`);
    const on = byMetrics.get(`${topology}|${bus}|on`);
    if (!off || !on) continue;
    const ratio = on.perSecond / off.perSecond;
    console.log(
      `metrics on / off (${TOPOLOGY_LABELS[topology]}${BUS_LABELS[bus]}): ${ratio.toFixed(3)}× (${on.perSecond.toFixed(0)} vs ${off.perSecond.toFixed(0)} tokens/s, p99 ${on.p99} vs ${off.p99} ms, best of each)`,
    );
    metricsVerdicts.push(`${ratio >= TARGET_METRICS_RATIO ? 'meets' : 'MISSES'} metrics on ≥ ${TARGET_METRICS_RATIO}× off (${topology}${BUS_LABELS[bus]})`);
  }
ours ??= byBus.get('secured') ?? byBus.get('tls');
if (!ours) throw new Error('no topology measured');
const secured = byBus.get('secured');
const tls = byBus.get('tls');
const open = byBus.get('open') ?? byBus.get('shared');
const securedVerdicts: string[] = [];
if (open && secured) {
  const ratio = secured.perSecond / open.perSecond;
  console.log(
    `secured bus / open bus: ${ratio.toFixed(3)}× (${secured.perSecond.toFixed(0)} vs ${open.perSecond.toFixed(0)} tokens/s, better topology of each)`,
  );
  securedVerdicts.push(`${ratio >= TARGET_SECURED_RATIO ? 'meets' : 'MISSES'} secured ≥ ${TARGET_SECURED_RATIO}× open`);
}
if (secured && tls)
  console.log(
    `TLS on top of the secured bus: ${(tls.perSecond / secured.perSecond).toFixed(3)}× (${tls.perSecond.toFixed(0)} tokens/s, p99 ${tls.p99} ms vs ${secured.p99} ms)`,
  );
const verdicts = [
  ...securedVerdicts,
  ...metricsVerdicts,
  `${ours.perSecond >= TARGET_PER_SECOND ? 'meets' : 'MISSES'} ≥ ${TARGET_PER_SECOND} tokens/s`,
  `${ours.p99 < TARGET_P99_MS ? 'meets' : 'MISSES'} p99 < ${TARGET_P99_MS} ms`,
];
if (!values['no-reference']) {
  const opaque = await benchReference('opaque');
  const jwt = await benchReference('jwt');
  const ratio = ours.perSecond / opaque.perSecond;
  verdicts.push(`${ratio >= TARGET_RATIO ? 'meets' : 'MISSES'} ≥ ${TARGET_RATIO}× oidc-provider`);
  console.log('(ratio and targets use the better Tessera topology)');
  console.log(
    `ratio ours/theirs: ${ratio.toFixed(2)}× oidc-provider (its default opaque tokens, in memory); ${(ours.perSecond / jwt.perSecond).toFixed(2)}× its ES256 JWT tokens`,
  );
}
console.log(`targets: ${verdicts.join(' · ')}`);
process.exit(0);
