import { CLUSTER_DRILL } from './cluster.js';
import { DrillEnvironment } from './environment.js';
import { allDrills, formatResult, runDrill, type DrillResult } from './drills.js';
import { DRILL_LOAD, PlatformLoad, type LoadRates } from './load.js';
import { setUpOutbound, type OutboundSetup } from './outbound.js';

export interface SessionOptions {
  replicas: number;
  /** Drill names to run, in order (default: every drill). */
  only?: string[];
  load?: Partial<LoadRates>;
  outboundTokens?: { healthy: number; troubled: number };
  /** Lifetime of the outbound tokens (10 s by default; longer on a machine too busy to keep up with that). */
  outboundLifetimeS?: number;
  /** How long the provider drills misbehave. */
  providerFaultMs?: number;
  log?: (line: string) => void;
}

export interface Session {
  results: DrillResult[];
  environment: DrillEnvironment;
  load: PlatformLoad;
  outbound: OutboundSetup;
}

export interface SessionHooks {
  /** After the load has run a few seconds, before the first drill. */
  beforeDrills?(session: Session): Promise<void>;
  /** After the last drill, the load still running. */
  afterDrills?(session: Session): Promise<void>;
}

/**
 * Starts the drills' own platform, puts it under load, runs the drills one after the other on the same platform, and
 * stops everything. The hooks run while the load runs, for checks of a whole session.
 */
export async function runSession(options: SessionOptions, hooks: SessionHooks = {}): Promise<DrillResult[]> {
  const log = options.log ?? ((line: string) => console.log(line));
  // The cluster drill needs the platform on three clustered servers: asked for, the whole session runs on them.
  const natsCluster = Boolean(options.only?.includes(CLUSTER_DRILL));
  const drills = allDrills(options.replicas, options.providerFaultMs, natsCluster).filter((d) => !options.only || options.only.includes(d.name));
  if (options.only) {
    const unknown = options.only.filter((name) => !drills.some((d) => d.name === name));
    if (unknown.length)
      throw new Error(
        `unknown drill(s) ${unknown.join(', ')}; known: ${allDrills(options.replicas, undefined, true)
          .map((d) => d.name)
          .join(', ')}`,
      );
  }
  const started = Date.now();
  const environment = await DrillEnvironment.start({ replicas: options.replicas, natsCluster, log });
  log(
    `platform ready in ${((Date.now() - started) / 1000).toFixed(1)} s: ${options.replicas} × each service, PostgreSQL on ${environment.postgres.port}, NATS on ${environment.nats.url.split(',').length > 1 ? `a cluster of ${environment.nats.url.split(',').length}` : environment.nats.port}`,
  );
  const load = new PlatformLoad(environment.url, { ...DRILL_LOAD, ...options.load });
  const results: DrillResult[] = [];
  try {
    const outbound = await setUpOutbound(load, options.outboundTokens?.healthy ?? 20, options.outboundTokens?.troubled ?? 5, options.outboundLifetimeS);
    await load.prepare(outbound.healthyNames);
    load.start();
    const session: Session = { results, environment, load, outbound };
    if (hooks.beforeDrills) {
      await new Promise((r) => setTimeout(r, 5_000));
      await hooks.beforeDrills(session);
    }
    for (const drill of drills) {
      log(`\n▶ ${drill.name}: ${drill.summary}`);
      const result = await runDrill(drill, { environment, load, outbound });
      results.push(result);
      log(formatResult(result));
    }
    await hooks.afterDrills?.(session);
    await load.stop();
    await outbound.healthy.stop();
    await outbound.troubled.stop();
  } finally {
    await load.stop();
    await environment.stop();
  }
  return results;
}
