/**
 * Token endpoint benchmark: client_credentials through the gateway, 50 keep-alive clients, a warm-up then the measured
 * run, against Tessera as `npm start` runs it in distributed mode (the launcher and a process per service, real
 * PostgreSQL, a nats-server of the bench's own, secured and open), and in the same invocation oidc-provider 9 and a
 * bare node:http + ES256 server under the same load.
 *
 *   npm run bench:tokens [-- --duration 10 --warmup 3 --connections 50 --rounds 1 --bus secured,open --no-reference]
 *                        [--auth client_secret_basic,private_key_jwt,dpop]
 *
 * CPU per token is the CPU time, during the measured run, of the server under test and of what it needs: for Tessera
 * the launcher and every process under it, the PostgreSQL backends serving its database and its nats-server (see
 * CpuPids in bench-platform.ts); for the references their one process. The load generator is not counted.
 *
 * `--metrics off,on` runs each set-up with Prometheus metrics off and on (scraped every 5 s) and prints the ratio;
 * `--tracing off,100,1` the same for tracing exported to a local OTLP sink.
 *
 * `--auth`: on the first bus, after client_secret_basic, the same platform answers clients authenticating with
 * private_key_jwt (a new assertion per request) and client_secret_basic clients sending a DPoP proof (a new proof per
 * request, with the server's nonce); each is judged against client_secret_basic's tokens/s of the same round.
 */
import { parseArgs } from 'node:util';
import { startBareCeiling } from './bare-ceiling.js';
import { startBenchPlatform, type BenchPlatform, type BusMode, type CpuPids, type Topology } from './bench-platform.js';
import { clientAuthentications, type ClientAuthentication } from './client-authentication.js';
import { runLoad, type LoadOptions, type LoadResult } from './load-generator.js';
import { cpuBreakdown, machineInfo, processCpuTimes, processLabel } from './machine.js';
import { startReference, type RunningReference } from './oidc-reference.js';
import { startTraceSink, type TraceSink } from './trace-sink.js';

/** Against oidc-provider's default (opaque, in memory) in the same invocation. */
const TARGET_THROUGHPUT_RATIO = 1.0;
/** Our tokens per CPU-second over theirs (their µs per token ÷ ours). */
const TARGET_EFFICIENCY_RATIO = 0.8;
/** Our p99 over theirs, at most. */
const TARGET_P99_RATIO = 1.2;
/** Credentials and permissions on the bus must keep at least this share of the open bus's throughput. */
const TARGET_SECURED_RATIO = 0.95;
/** private_key_jwt and DPoP must keep at least this share of client_secret_basic's throughput. */
const TARGET_AUTH_RATIO = 0.7;
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
    topology: { type: 'string', default: 'processes' },
    bus: { type: 'string', default: 'secured,open' },
    // Interleaved rounds (each set-up and reference in turn), medians of each: on a busy machine one run compares loads.
    rounds: { type: 'string', default: '1' },
    // off, on, or off,on: Prometheus metrics (METRICS_PORT) for each set-up.
    metrics: { type: 'string', default: 'off' },
    // Tracing off, and on at 100 % and 1 % sampling (exported to a local OTLP sink).
    tracing: { type: 'string', default: 'off' },
    // A fixed request rate: on a machine others load too, CPU per token at one rate compares code, not luck.
    rate: { type: 'string' },
    // Client authentication runs on the first bus: client_secret_basic always, then private_key_jwt and DPoP.
    auth: { type: 'string', default: 'client_secret_basic,private_key_jwt,dpop' },
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

type Measured = LoadResult & { label: string; cpuPerToken: number; cpuShares: string };

/**
 * Warm-up, then the measured run; the CPU time of the counted processes (asked before and after the run, so a process
 * that appeared meanwhile counts too) per token answered 200.
 */
async function measure(label: string, load: LoadOptions, counted: () => Promise<CpuPids>, metricsUrls: string[] = []): Promise<Measured> {
  if (warmupSeconds > 0) await runLoad({ ...load, durationSeconds: warmupSeconds });
  const pidsBefore = await counted();
  const machineBefore = processCpuTimes();
  const started = performance.now();
  const { result, scrapes } = await whileScraped(metricsUrls, runLoad(load));
  const machineAfter = processCpuTimes();
  const pidsAfter = await counted();
  const wall = (performance.now() - started) / 1000;
  const member = (group: keyof CpuPids) => (pid: number) => pidsBefore[group].includes(pid) || pidsAfter[group].includes(pid);
  const named = { server: 'platform', postgres: 'postgres', 'nats-server': 'nats' } as const;
  const groups = Object.fromEntries(
    Object.entries(named)
      .filter(([, group]) => pidsBefore[group].length || pidsAfter[group].length)
      .map(([name, group]) => [name, member(group)]),
  );
  let cpuSeconds = 0;
  for (const [pid, now] of machineAfter)
    if (Object.values(groups).some((inGroup) => inGroup(pid))) cpuSeconds += Math.max(0, now.seconds - (machineBefore.get(pid)?.seconds ?? 0));
  const cpuPerToken = (cpuSeconds * 1e6) / Math.max(1, result.ok);
  console.log(line(label, result));
  if (metricsUrls.length) console.log(`${''.padEnd(34)} ${scrapes} scrapes of ${metricsUrls.length} metrics endpoint(s) during the run`);
  const breakdown = cpuBreakdown(machineBefore, machineAfter, wall, {
    ...Object.fromEntries(Object.entries(groups).map(([name, inGroup]) => [name, (pid: number) => inGroup(pid)])),
    'load generator (not counted)': (pid) => pid === result.pid,
  });
  console.log(`${''.padEnd(34)} ${cpuPerToken.toFixed(0)} µs CPU per token (counted: ${Object.keys(groups).join(' + ')}); cores used: ${breakdown}`);
  const perProcess = new Map<string, number>();
  for (const pid of new Set([...pidsBefore.platform, ...pidsAfter.platform])) {
    const used = (machineAfter.get(pid)?.seconds ?? 0) - (machineBefore.get(pid)?.seconds ?? 0);
    if (used > 0) perProcess.set(processLabel(pid), (perProcess.get(processLabel(pid)) ?? 0) + used);
  }
  // The bus and the database beside our processes, so a change that moves work between them shows where it went.
  for (const group of ['nats', 'postgres'] as const)
    for (const pid of new Set([...pidsBefore[group], ...pidsAfter[group]])) {
      const used = (machineAfter.get(pid)?.seconds ?? 0) - (machineBefore.get(pid)?.seconds ?? 0);
      const name = group === 'nats' ? 'nats-server' : 'PostgreSQL';
      if (used > 0 && perProcess.size) perProcess.set(name, (perProcess.get(name) ?? 0) + used);
    }
  if (perProcess.size > 1)
    console.log(
      `${''.padEnd(34)} by process, µs per token: ${[...perProcess]
        .sort((a, b) => b[1] - a[1])
        .map(([name, seconds]) => `${name} ${((seconds * 1e6) / Math.max(1, result.ok)).toFixed(0)}`)
        .join(' · ')}`,
    );
  return { ...result, label, cpuPerToken, cpuShares: breakdown };
}

const TOPOLOGY_LABELS: Record<Topology, string> = { 'in-process': 'tessera in one process', processes: 'tessera (npm start)' };
const BUS_LABELS: Record<BusMode, string> = { shared: ', shared bus', open: ', open bus', secured: ', secured bus', tls: ', secured bus + TLS' };

function tracingEnv(mode: TracingMode, sink: TraceSink | undefined): Record<string, string> {
  if (mode === 'off' || !sink) return {};
  return { OTEL_EXPORTER_OTLP_ENDPOINT: sink.url, OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: String(Number(mode) / 100) };
}

async function benchTessera(
  topology: Topology,
  bus: BusMode,
  metrics: MetricsMode,
  tracing: TracingMode = 'off',
  sink?: TraceSink,
  authentications: ClientAuthentication[] = [],
): Promise<void> {
  const platform = await startBenchPlatform(topology, bus, { metrics: metrics === 'on', env: tracingEnv(tracing, sink) });
  try {
    const tokenUrl = `${platform.url}/oauth/token`;
    await checkIssues(tokenUrl, platform.basicAuth, true);
    const label = `${TOPOLOGY_LABELS[topology]}${BUS_LABELS[bus]}${metricsModes.length > 1 ? `, metrics ${metrics}` : ''}${TRACING_LABELS[tracing]}`;
    const exportedBefore = sink && (await sink.stats());
    const result = await measure(label, clientCredentialsLoad(tokenUrl, platform.basicAuth, durationSeconds), platform.cpuPids, platform.metricsUrls);
    if (sink && tracing !== 'off') {
      const after = await sink.stats();
      console.log(
        `${''.padEnd(34)} sent to the OTLP sink during the run (and warm-up's tail): ${after.exports - exportedBefore!.exports} exports, ${((after.bytes - exportedBefore!.bytes) / 1e6).toFixed(1)} MB`,
      );
    }
    const families = await platform.database.query<{ n: string }>('SELECT count(*) AS n FROM "auth"."refresh_token_family"');
    console.log(`${''.padEnd(34)} ${families[0].n} refresh-token families stored in Postgres`);
    record(keyOf(topology, bus, metrics, tracing), result);
    for (const authentication of authentications)
      record(`${keyOf(topology, bus, metrics, tracing)}|${authentication}`, await benchAuthentication(platform, label, authentication));
  } finally {
    await platform.stop();
  }
}

/** The same platform, clients authenticating another way: the load generator signs each request's assertion or proof. */
async function benchAuthentication(platform: BenchPlatform, label: string, authentication: ClientAuthentication): Promise<Measured> {
  const client = await clientAuthentications[authentication].prepare(platform);
  const load = {
    ...clientCredentialsLoad(`${platform.url}/oauth/token`, platform.basicAuth, durationSeconds),
    headers: client.headers,
    signing: client.signing,
  };
  return measure(`${label}, ${clientAuthentications[authentication].label}`, load, platform.cpuPids, platform.metricsUrls);
}

type ReferenceName = 'oidc-provider' | 'oidc-provider-jwt' | 'bare';
const REFERENCES: Record<ReferenceName, { label: string; start: () => Promise<RunningReference> }> = {
  'oidc-provider': { label: 'oidc-provider 9 (opaque, in memory)', start: () => startReference('opaque') },
  'oidc-provider-jwt': { label: 'oidc-provider 9 (ES256 JWT)', start: () => startReference('jwt') },
  bare: { label: 'bare node:http + ES256', start: startBareCeiling },
};

async function benchReference(name: ReferenceName): Promise<Measured> {
  const reference = await REFERENCES[name].start();
  try {
    const basicAuth = `Basic ${Buffer.from(`${reference.clientId}:${reference.clientSecret}`).toString('base64')}`;
    await checkIssues(reference.tokenUrl, basicAuth, false);
    const pids = async (): Promise<CpuPids> => ({ platform: [reference.pid], postgres: [], nats: [] });
    return await measure(REFERENCES[name].label, clientCredentialsLoad(reference.tokenUrl, basicAuth, durationSeconds), pids);
  } finally {
    await reference.stop();
  }
}

console.log(machineInfo());
console.log(
  `load: client_credentials (client_secret_basic), ${connections} keep-alive connections${values.rate ? `, ${values.rate} requests/s` : ''}, ${warmupSeconds} s warm-up + ${durationSeconds} s, autocannon in a child process (not counted)`,
);
const topologies: Topology[] = values.topology === 'both' ? ['processes', 'in-process'] : [values.topology as Topology];
for (const topology of topologies) if (!(topology in TOPOLOGY_LABELS)) throw new Error(`--topology: ${topology} is not processes, in-process or both`);
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
  `bus: ${buses.join(', ')} (open/secured/tls: a nats-server 2.9 of the bench's own each; secured = generated nkeys + permissions, npm run nats:config, TESSERA_REQUIRE_SECURE_BUS)`,
);
const authentications = values.auth.split(',').map((a) => a.trim()) as (ClientAuthentication | 'client_secret_basic')[];
for (const a of authentications)
  if (a !== 'client_secret_basic' && !(a in clientAuthentications))
    throw new Error(`--auth: ${a} is not one of client_secret_basic, ${Object.keys(clientAuthentications).join(', ')}`);
const otherAuthentications = authentications.filter((a): a is ClientAuthentication => a !== 'client_secret_basic');
function keyOf(topology: Topology, bus: BusMode, metrics: MetricsMode = metricsModes[0], tracing: TracingMode = tracings[0]): string {
  return `${topology}|${bus}|${metrics}|${tracing}`;
}
const rounds = Math.max(1, Number(values.rounds));
/** Every run, by set-up: `topology|bus|metrics|tracing[|authentication]` or a reference's name. */
const runs = new Map<string, Measured[]>();
const record = (key: string, result: Measured) => runs.set(key, [...(runs.get(key) ?? []), result]);
for (let round = 1; round <= rounds; round++) {
  if (rounds > 1) console.log(`-- round ${round} of ${rounds}`);
  // Interleaved, so every set-up and reference sees the same spells of load from the rest of the machine.
  for (const topology of topologies)
    for (const bus of buses)
      for (const metrics of metricsModes)
        for (const tracing of tracings) {
          // The other client authentications on the first set-up only (they compare with its client_secret_basic).
          const first = topology === topologies[0] && bus === buses[0] && metrics === metricsModes[0] && tracing === tracings[0];
          await benchTessera(topology, bus, metrics, tracing, sink, first ? otherAuthentications : []);
        }
  if (!values['no-reference']) for (const name of Object.keys(REFERENCES) as ReferenceName[]) record(name, await benchReference(name));
}
await sink?.stop();

const median = (numbers: number[]) => [...numbers].sort((a, b) => a - b)[Math.floor(numbers.length / 2)];
interface Summary {
  perSecond: number;
  p99: number;
  cpuPerToken: number;
}
const summary = (key: string): Summary | undefined => {
  const results = runs.get(key);
  return (
    results && {
      perSecond: median(results.map((r) => r.perSecond)),
      p99: median(results.map((r) => r.p99)),
      cpuPerToken: median(results.map((r) => r.cpuPerToken)),
    }
  );
};
const describe = (s: Summary) => `${s.perSecond.toFixed(0)} tokens/s, p99 ${s.p99} ms, ${s.cpuPerToken.toFixed(0)} µs CPU per token`;
console.log(rounds > 1 ? `\nmedians of ${rounds} rounds:` : '\nsummary:');
for (const key of runs.keys()) console.log(`  ${(runs.get(key)![0].label + ':').padEnd(48)} ${describe(summary(key)!)}`);

const verdicts: string[] = [];
const topology = topologies[0];
for (const mode of ['100', '1'] as const) {
  const off = summary(keyOf(topology, buses[0], metricsModes[0], 'off'));
  const traced = summary(keyOf(topology, buses[0], metricsModes[0], mode));
  if (!off || !traced) continue;
  console.log(
    `tracing at ${mode} % / off: ${(traced.perSecond / off.perSecond).toFixed(3)}× tokens/s (${traced.perSecond.toFixed(0)} vs ${off.perSecond.toFixed(0)}; p99 ${traced.p99} vs ${off.p99} ms); CPU per token ${(traced.cpuPerToken / off.cpuPerToken).toFixed(3)}×`,
  );
}
for (const bus of buses) {
  const off = summary(keyOf(topology, bus, 'off'));
  const on = summary(keyOf(topology, bus, 'on'));
  if (!off || !on) continue;
  const ratio = on.perSecond / off.perSecond;
  console.log(
    `metrics on / off${BUS_LABELS[bus]}: ${ratio.toFixed(3)}× (${on.perSecond.toFixed(0)} vs ${off.perSecond.toFixed(0)} tokens/s, p99 ${on.p99} vs ${off.p99} ms)`,
  );
  verdicts.push(`${ratio >= TARGET_METRICS_RATIO ? 'meets' : 'MISSES'} metrics on ≥ ${TARGET_METRICS_RATIO}× off${BUS_LABELS[bus]}`);
}
const basic = summary(keyOf(topology, buses[0]));
for (const authentication of otherAuthentications) {
  const other = summary(`${keyOf(topology, buses[0])}|${authentication}`);
  if (!basic || !other) continue;
  const ratio = other.perSecond / basic.perSecond;
  console.log(
    `${clientAuthentications[authentication].label} / client_secret_basic${BUS_LABELS[buses[0]]}: ${ratio.toFixed(3)}× tokens/s (${other.perSecond.toFixed(0)} vs ${basic.perSecond.toFixed(0)}; p99 ${other.p99} vs ${basic.p99} ms); CPU per token ${other.cpuPerToken.toFixed(0)} vs ${basic.cpuPerToken.toFixed(0)} µs`,
  );
  verdicts.push(
    `${ratio >= TARGET_AUTH_RATIO ? 'meets' : 'MISSES'} ${clientAuthentications[authentication].label} ≥ ${TARGET_AUTH_RATIO}× client_secret_basic`,
  );
}
const secured = summary(keyOf(topology, 'secured'));
const open = summary(keyOf(topology, 'open'));
if (secured && open) {
  const ratio = secured.perSecond / open.perSecond;
  console.log(
    `secured bus / open bus: ${ratio.toFixed(3)}× tokens/s (${secured.perSecond.toFixed(0)} vs ${open.perSecond.toFixed(0)}); CPU per token ${secured.cpuPerToken.toFixed(0)} vs ${open.cpuPerToken.toFixed(0)} µs`,
  );
  verdicts.push(`${ratio >= TARGET_SECURED_RATIO ? 'meets' : 'MISSES'} secured ≥ ${TARGET_SECURED_RATIO}× open`);
}
const tls = summary(keyOf(topology, 'tls'));
if (secured && tls)
  console.log(
    `TLS on top of the secured bus: ${(tls.perSecond / secured.perSecond).toFixed(3)}× (${tls.perSecond.toFixed(0)} tokens/s, p99 ${tls.p99} ms vs ${secured.p99} ms)`,
  );
// The targets are judged on the secured bus (what npm start's distributed mode is meant to run), else the first bus asked for.
const ours = secured ?? summary(keyOf(topology, buses[0]));
const theirs = summary('oidc-provider');
if (ours && theirs) {
  const throughput = ours.perSecond / theirs.perSecond;
  const efficiency = theirs.cpuPerToken / ours.cpuPerToken;
  const p99 = ours.p99 / theirs.p99;
  console.log(
    `tessera / oidc-provider: ${throughput.toFixed(2)}× tokens/s, ${efficiency.toFixed(2)}× CPU efficiency (${ours.cpuPerToken.toFixed(0)} vs ${theirs.cpuPerToken.toFixed(0)} µs per token), p99 ${p99.toFixed(2)}× (${ours.p99} vs ${theirs.p99} ms)`,
  );
  verdicts.push(
    `${throughput >= TARGET_THROUGHPUT_RATIO ? 'meets' : 'MISSES'} ≥ ${TARGET_THROUGHPUT_RATIO}× oidc-provider's tokens/s`,
    `${efficiency >= TARGET_EFFICIENCY_RATIO ? 'meets' : 'MISSES'} ≥ ${TARGET_EFFICIENCY_RATIO}× its CPU efficiency`,
    `${p99 <= TARGET_P99_RATIO ? 'meets' : 'MISSES'} p99 ≤ ${TARGET_P99_RATIO}× its p99`,
  );
  const jwt = summary('oidc-provider-jwt');
  if (jwt)
    console.log(
      `tessera / oidc-provider signing ES256 JWTs: ${(ours.perSecond / jwt.perSecond).toFixed(2)}× tokens/s, ${(jwt.cpuPerToken / ours.cpuPerToken).toFixed(2)}× CPU efficiency`,
    );
  const bare = summary('bare');
  if (bare)
    console.log(
      `bare ceiling: ${(ours.perSecond / bare.perSecond).toFixed(2)}× its tokens/s; ${(ours.cpuPerToken - bare.cpuPerToken).toFixed(0)} µs per token above its ${bare.cpuPerToken.toFixed(0)} µs`,
    );
}
console.log(`targets: ${verdicts.join(' · ') || 'none judged (no reference, or no secured bus, in this run)'}`);
process.exit(0);
