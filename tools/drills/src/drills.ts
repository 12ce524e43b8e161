import { auditEvents } from './audit.js';
import { clusterDrill } from './cluster.js';
import { SERVICES, type DrillEnvironment, type Service } from './environment.js';
import type { Incident, Outcome, PlatformLoad } from './load.js';
import { ExpiryWatch, refreshTokensPresentedTwice, type OutboundSetup } from './outbound.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface DrillContext {
  environment: DrillEnvironment;
  load: PlatformLoad;
  outbound: OutboundSetup;
}

/** What a fault did: when the dependency was back (or the process killed), and how many requests were open then. */
interface FaultWindow {
  /** When the fault ended: the server started again, the provider healthy again, or the process killed (the supervisor restarts it). */
  endedAt: number;
  inFlightAtFault: number;
  /**
   * For a replica killed: when the nats-server saw its connection close. Until then the server still routes requests
   * to the dead replica's subscriptions, so requests sent in that window were delivered to it and lost with it.
   */
  busSawItGoneAt?: number;
  /** Printed with the result (a restart's duration). */
  note?: string;
  /**
   * The only broker was down from `from` until its replacement answered at `to`: nothing could refresh a token then.
   * Its refresh buffer is what must cover that (ADR 0035); a restart longer than the buffer is a fault it cannot.
   */
  noBrokerBetween?: { from: number; to: number };
}

export interface Drill {
  name: string;
  /** What it does, one line. */
  summary: string;
  /** The fault; resolves when it is over. */
  inject(context: DrillContext): Promise<FaultWindow>;
  /** The longest acceptable time from the fault's end to the sending of the last request that failed. */
  recoveryBoundMs: number;
  /** True for drills whose only acceptable failures are the requests open when a replica died (two or more replicas). */
  onlyInFlightMayFail?: boolean;
  /**
   * True when the killed process held the load's HTTP connections (a gateway): a keep-alive request written in the
   * moment between the kill and the client seeing the connection close meets a reset. It was lost with the process,
   * like one in flight, and is counted with them; a reset later than a second after the kill is not.
   */
  connectionsDieWithIt?: boolean;
  /** Figures printed but not held against this drill, with why (the promise does not cover this fault). */
  exempt?: Record<string, string>;
}

export interface Guarantee {
  name: string;
  value: number | string;
  held: boolean;
  /** Why this figure is not a promise for this drill, when it is not. */
  exemptBecause?: string;
}

export interface DrillResult {
  drill: string;
  failedRequests: number;
  failedByKind: Record<string, number>;
  recoveryMs: number;
  note?: string;
  /** The first error-level lines the services logged during the drill (what to read when something broke). */
  errorLines: string[];
  guarantees: Guarantee[];
  held: boolean;
}

function killDrill(service: Service, replicas: number): Drill {
  return {
    name: `kill-${service}`,
    summary: replicas > 1 ? `kill -9 of one of ${replicas} ${service} replicas under load` : `kill -9 of the ${service} under load; the launcher restarts it`,
    recoveryBoundMs: replicas > 1 ? 3_000 : 5_000,
    onlyInFlightMayFail: replicas > 1,
    connectionsDieWithIt: service === 'gateway',
    ...(service === 'outbound-token-broker'
      ? {
          exempt: {
            'outbound refresh tokens presented twice':
              "a rotation the provider answered to the killed broker before it stored it is lost with it (ADR 0017's loss window)",
          },
        }
      : {}),
    async inject({ environment, load }) {
      const connectionsBefore = await environment.connectionIds(service);
      const inFlightAtFault = load.inFlight;
      const killed = environment.killService(service);
      const killedAt = Date.now();
      if (replicas > 1) {
        let busSawItGoneAt = killedAt;
        for (; busSawItGoneAt - killedAt < 10_000; busSawItGoneAt = Date.now()) {
          const now = await environment.connectionIds(service);
          if ([...connectionsBefore].some((cid) => !now.has(cid))) break;
          await sleep(5);
        }
        return { endedAt: killedAt, inFlightAtFault, busSawItGoneAt, note: `the bus saw it gone after ${busSawItGoneAt - killedAt} ms` };
      }
      // One replica: the service is back when its replacement is ready; recovery counts from then.
      for (;;) {
        await sleep(100);
        const replaced = environment.pidsOf(service).some((pid) => pid !== killed);
        if (
          replaced &&
          (await environment.waitReady(60_000).then(
            () => true,
            () => false,
          ))
        )
          break;
      }
      const backAt = Date.now();
      return {
        endedAt: backAt,
        inFlightAtFault,
        note: `back after ${backAt - killedAt} ms`,
        ...(service === 'outbound-token-broker' ? { noBrokerBetween: { from: killedAt, to: backAt } } : {}),
      };
    },
  };
}

/**
 * Every drill; `providerFaultMs` is how long the provider drills misbehave (20 s by default). The cluster drill only on
 * a platform started on a cluster (`npm run drills -- nats-cluster`).
 */
export function allDrills(replicas: number, providerFaultMs = 20_000, natsCluster = false): Drill[] {
  return [
    ...(natsCluster ? [clusterDrill()] : []),
    ...SERVICES.map((service) => killDrill(service, replicas)),
    {
      name: 'nats-restart',
      summary: 'nats-server stopped for 5 s, then started again (JetStream data kept)',
      recoveryBoundMs: 5_000,
      async inject({ environment, load }) {
        const inFlightAtFault = load.inFlight;
        await environment.nats.stop('SIGTERM');
        await sleep(5_000);
        await environment.nats.start();
        return { endedAt: Date.now(), inFlightAtFault };
      },
    },
    {
      name: 'postgres-restart',
      summary: 'PostgreSQL stopped (fast: sessions terminated) for 5 s, then started again',
      recoveryBoundMs: 5_000,
      exempt: {
        "healthy providers' tokens that expired":
          'a 5 s outage (plus the reconnect) outlasts the 5 s refresh buffer: nothing can be stored while the database is down',
        'outbound refresh tokens presented twice': 'a rotation the provider answered while the database went away cannot be stored (the loss window)',
      },
      async inject({ environment, load }) {
        const inFlightAtFault = load.inFlight;
        await environment.postgres.stop('fast');
        await sleep(5_000);
        await environment.postgres.start();
        return { endedAt: Date.now(), inFlightAtFault };
      },
    },
    {
      name: 'hanging-provider',
      summary: `one provider's token endpoint hangs for ${providerFaultMs / 1000} s; the other provider's tokens must stay fresh`,
      recoveryBoundMs: 5_000,
      async inject({ outbound, load }) {
        const inFlightAtFault = load.inFlight;
        outbound.troubled.behaviour.delayMs = 120_000;
        await sleep(providerFaultMs);
        outbound.troubled.behaviour.delayMs = 0;
        return { endedAt: Date.now(), inFlightAtFault };
      },
    },
    {
      name: 'failing-provider',
      summary: `one provider answers 500 for ${providerFaultMs / 1000} s; the other provider's tokens must stay fresh`,
      recoveryBoundMs: 5_000,
      async inject({ outbound, load }) {
        const inFlightAtFault = load.inFlight;
        outbound.troubled.behaviour.failNext = { count: 1_000_000, status: 500, body: '{"error":"server_error"}' };
        await sleep(providerFaultMs);
        outbound.troubled.behaviour.failNext = undefined;
        return { endedAt: Date.now(), inFlightAtFault };
      },
    },
  ];
}

/** Time the replacement broker is given from answering to storing the refresh of a token due while it was down. */
const TAKEOVER_GRACE_MS = 1_000;

/**
 * No healthy token may expire. With a single broker killed, the promise is that its refresh buffer covers the restart
 * (ADR 0035): when the restart took longer than the buffer, tokens that expired while no broker ran (or within a
 * second of its replacement answering) are reported, not held against the drill; any other expiry still is.
 */
function expiredGuarantee(expiry: ExpiryWatch, fault: FaultWindow, refreshBufferMs: number): Guarantee {
  const name = "healthy providers' tokens that expired";
  const down = fault.noBrokerBetween;
  if (!down || down.to - down.from <= refreshBufferMs) return { name, value: expiry.expired.size, held: expiry.expired.size === 0 };
  const uncovered = [...expiry.expired.values()].filter((at) => at >= down.from && at <= down.to + TAKEOVER_GRACE_MS).length;
  const others = expiry.expired.size - uncovered;
  const restartS = ((down.to - down.from) / 1000).toFixed(1);
  return {
    name,
    value: `${expiry.expired.size} (${uncovered} due while no broker ran: the restart took ${restartS} s, longer than the ${refreshBufferMs / 1000} s buffer that must cover it; ${others} other)`,
    held: others === 0,
  };
}

/** An outcome that is a failure of the platform: a 5xx or no answer. Refused credentials and the like are answers. */
function failed(outcome: Outcome): boolean {
  return outcome.status === 0 || outcome.status >= 500;
}

/**
 * Runs one drill under the load that is already running: waits for a quiet platform, injects the fault, watches until
 * the platform has answered everything for a while (or the observation time is up), then checks every guarantee.
 * The load reads only the healthy provider's tokens: failing the troubled one's is what a failing provider means.
 */
export async function runDrill(drill: Drill, context: DrillContext, observeMs = 12_000): Promise<DrillResult> {
  const { environment, load, outbound } = context;
  await environment.waitReady(60_000);
  await sleep(1_000);
  const outcomesFrom = load.outcomes.length;
  const incidentsFrom = load.incidents.length;
  const healthyRequestsFrom = outbound.healthy.tokenRequests.length;
  const expiry = new ExpiryWatch(environment, outbound.healthyProviderId);
  expiry.start();
  const startedAt = Date.now();
  const fault = await drill.inject(context);
  // Watch until nothing has failed for 3 s after the fault ended, or the observation time is up.
  const deadline = fault.endedAt + observeMs;
  while (Date.now() < deadline) {
    await sleep(500);
    const recent = load.outcomes.slice(outcomesFrom).filter((o) => o.endedAt > Date.now() - 3_000);
    if (Date.now() - fault.endedAt > 3_000 && recent.length && !recent.some(failed)) break;
  }
  await sleep(2_000); // the probes started during the window report
  expiry.stop();

  const outcomes = load.outcomes.slice(outcomesFrom).filter((o) => o.sentAt >= startedAt - 1_000);
  const failures = outcomes.filter(failed);
  const failedByKind: Record<string, number> = {};
  for (const f of failures) {
    const key = f.network ? `${f.kind} ${f.network}` : f.kind;
    failedByKind[key] = (failedByKind[key] ?? 0) + 1;
  }
  // Recovery: from the fault's end until requests sent stop failing (a request in flight at a kill fails late, after
  // the bus timeout, but was lost at the kill, not after it).
  const lastFailure = Math.max(fault.endedAt, ...failures.map((f) => f.sentAt));
  const recoveryMs = lastFailure - fault.endedAt;
  const incidents = load.incidents.slice(incidentsFrom);
  const count = (kind: Incident['kind']) => incidents.filter((i) => i.kind === kind).length;
  // A revoked token accepted within a second of the bus being back is tolerated; later is a broken promise.
  const revokedAccepted = incidents.filter((i) => i.kind === 'revoked_token_accepted' && i.at > fault.endedAt + 1_000).length;
  const events = await auditEvents(environment);
  const errorLines = environment.errorLines
    .filter((e) => e.at >= startedAt)
    .slice(0, 3)
    .map((e) => e.line);

  const unexpected = outcomes.filter((o) => o.status >= 500 && o.status !== 503);
  const answered500 = unexpected.length ? `${unexpected.length} (${[...new Set(unexpected.map((o) => `${o.kind} ${o.status}`))].join(', ')})` : 0;
  const guarantees: Guarantee[] = [
    { name: 'answers 5xx other than 503', value: answered500, held: !unexpected.length },
    { name: 'recovery (ms)', value: recoveryMs, held: recoveryMs <= drill.recoveryBoundMs },
    { name: 'lost grants', value: count('lost_grant'), held: count('lost_grant') === 0 },
    { name: 'burnt refresh tokens', value: count('burnt_refresh_token'), held: count('burnt_refresh_token') === 0 },
    { name: 'duplicated events', value: events.duplicated, held: events.duplicated === 0 },
    { name: 'missing events', value: events.missing ? `${events.missing} (${events.missingSamples.join('; ')})` : 0, held: events.missing === 0 },
    { name: 'revoked tokens accepted after the bus is back', value: revokedAccepted, held: revokedAccepted === 0 },
    { name: 'tokens issued after a disable answered', value: count('token_issued_after_disable'), held: count('token_issued_after_disable') === 0 },
    expiredGuarantee(expiry, fault, outbound.refreshBufferMs),
    {
      name: 'outbound refresh tokens presented twice',
      value: refreshTokensPresentedTwice(outbound.healthy, healthyRequestsFrom),
      held: refreshTokensPresentedTwice(outbound.healthy, healthyRequestsFrom) === 0,
    },
  ];
  if (drill.onlyInFlightMayFail) {
    // Lost with the replica too: requests the bus delivered to it before it saw the connection close, and (a gateway)
    // requests written on its keep-alive connections before the client saw them close.
    const afterKill = failures.filter((f) => f.sentAt >= fault.endedAt);
    const deliveredToIt = afterKill.filter((f) => f.sentAt <= (fault.busSawItGoneAt ?? fault.endedAt)).length;
    const metClosedConnection = drill.connectionsDieWithIt
      ? afterKill.filter((f) => f.sentAt > (fault.busSawItGoneAt ?? fault.endedAt) && f.network === 'reset' && f.sentAt <= fault.endedAt + 1_000).length
      : 0;
    const bound = fault.inFlightAtFault + deliveredToIt + metClosedConnection;
    const name = `failed requests ≤ in flight at the kill (${fault.inFlightAtFault} + ${deliveredToIt} sent before the bus saw it gone${drill.connectionsDieWithIt ? ` + ${metClosedConnection} on its closing connections` : ''})`;
    guarantees.push({ name, value: failures.length, held: failures.length <= bound });
  }
  for (const guarantee of guarantees) {
    const reason = drill.exempt?.[guarantee.name];
    if (reason && !guarantee.held) Object.assign(guarantee, { held: true, exemptBecause: reason });
  }
  return {
    drill: drill.name,
    failedRequests: failures.length,
    failedByKind,
    recoveryMs,
    note: fault.note,
    errorLines,
    guarantees,
    held: guarantees.every((g) => g.held),
  };
}

export function formatResult(result: DrillResult): string {
  const kinds = Object.entries(result.failedByKind)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  return [
    `${result.held ? 'HELD  ' : 'BROKEN'} ${result.drill}: ${result.failedRequests} failed requests${kinds ? ` (${kinds})` : ''}${result.note ? `; ${result.note}` : ''}`,
    ...result.guarantees.map(
      (g) => `         ${g.held ? ' ' : '✗'} ${g.name}: ${g.value}${g.exemptBecause ? ` (not a promise here: ${g.exemptBecause})` : ''}`,
    ),
    ...(result.held ? [] : result.errorLines.map((line) => `         log: ${line}`)),
  ].join('\n');
}
