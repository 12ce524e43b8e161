import 'reflect-metadata';
import { startAuthServer } from '@tessera/auth-server';
import type { TesseraConfig } from '@tessera/config';
import { startGateway } from '@tessera/gateway';
import { startIntegrationsRegistry } from '@tessera/integrations-registry';
import type { Bus } from '@tessera/messaging';
import { startTracing, type Logger, systemClock, type Clock } from '@tessera/observability';
import { startOutboundTokenBroker, type BrokerOptions } from '@tessera/outbound-token-broker';
import { measurePool, startEmbeddedPostgres, type DatabaseTarget } from '@tessera/persistence';
import { createBus, resolveEncryptionKey, startProcessMetrics, type ServiceRuntime } from '@tessera/runtime';
import type { MicroserviceRuntime, RunningMicroservice } from '@tessera/service-runtime';

import { ALL_SERVICES, type ServiceKey } from './services.js';

export { ALL_SERVICES, type ServiceKey } from './services.js';

const STARTERS: Record<Exclude<ServiceKey, 'gateway'>, (runtime: MicroserviceRuntime) => Promise<RunningMicroservice>> = {
  'auth-server': startAuthServer,
  'integrations-registry': startIntegrationsRegistry,
  'outbound-token-broker': startOutboundTokenBroker,
};

export interface RunningPlatform {
  mode: TesseraConfig['mode'];
  /** The gateway's routes (method and URL pattern), when this process runs it. */
  routes?: { method: string; url: string }[];
  /** Where the gateway answers, when this process runs it. */
  url?: string;
  /** Where this process's metrics are scraped (METRICS_PORT set): one endpoint for every service it runs. */
  metricsUrl?: string;
  databaseUrl: string;
  /** One pruning pass in every service this process runs, now (they also prune on TESSERA_PRUNE_INTERVAL_SECONDS). */
  prune(): Promise<Record<string, Record<string, number>>>;
  stop(): Promise<void>;
}

export interface PlatformOptions {
  /** Which services this process runs (default: all four). */
  services?: ServiceKey[];
  logger: Logger;
  clock?: Clock;
  host?: string;
  /** Options for the outbound token broker (scheduler tuning in tests and benchmarks). */
  broker?: BrokerOptions;
  /** Receives a generated admin password instead of stdout (the CLI's start-up banner). */
  showGeneratedAdminPassword?: (password: string) => void;
}

/**
 * Runs services in this process. Embedded mode (no DATABASE_URL/NATS_URL): PGlite served on a loopback port and an
 * in-process bus. Distributed mode: the configured Postgres and NATS, one bus connection per service, exactly as
 * when each runs in its own process.
 */
export async function startPlatform(config: TesseraConfig, options: PlatformOptions): Promise<RunningPlatform> {
  const services = options.services ?? ALL_SERVICES;
  const clock = options.clock ?? systemClock;
  const stops: (() => Promise<void>)[] = [];
  const pruners: Record<string, RunningMicroservice['pruner']> = {};
  const stopAll = async () => {
    for (const stop of stops.splice(0).reverse()) await stop().catch((err) => options.logger.error({ err }, 'error while stopping'));
  };

  try {
    // First: the bus and the database are traced only if tracing is on when they are made. Stopped last.
    const tracing = await startTracing(config.tracing, 'tessera');
    stops.push(() => tracing.shutdown());
    const encryptionKey = await resolveEncryptionKey(config, options.logger);
    const { metrics, endpoint } = await startProcessMetrics(config, options.logger);
    if (endpoint) stops.push(() => endpoint.stop());
    let database: DatabaseTarget;
    let databaseUrl: string;
    let sharedBus: Bus | undefined;
    if (config.mode === 'embedded') {
      const postgres = await startEmbeddedPostgres(config.dataDir, { warn: (message, details) => options.logger.warn(details, message) });
      stops.push(() => postgres.stop());
      database = { sharedPool: postgres.pool };
      const unmeasure = measurePool(metrics, 'embedded', postgres.pool);
      stops.push(async () => unmeasure());
      databaseUrl = postgres.url;
      sharedBus = createBus(config, 'tessera', options.logger, metrics);
      await sharedBus.connect();
      const bus = sharedBus;
      stops.push(() => bus.close());
    } else {
      database = { url: config.databaseUrl!, transactionPooler: config.databasePooler === 'transaction' };
      databaseUrl = config.databaseUrl!;
    }

    const runtimeFor = async (service: ServiceKey): Promise<ServiceRuntime> => {
      let bus = sharedBus;
      if (!bus) {
        const own = createBus(config, service, options.logger, metrics);
        await own.connect();
        stops.push(() => own.close());
        bus = own;
      }
      return { config, bus, logger: options.logger, clock, encryptionKey, metrics, showGeneratedAdminPassword: options.showGeneratedAdminPassword };
    };

    for (const service of services) {
      if (service === 'gateway') continue;
      const runtime: MicroserviceRuntime = { ...(await runtimeFor(service)), database };
      const running = service === 'outbound-token-broker' ? await startOutboundTokenBroker(runtime, options.broker) : await STARTERS[service](runtime);
      stops.push(() => running.stop());
      pruners[service] = running.pruner;
    }
    let url: string | undefined;
    let routes: RunningPlatform['routes'];
    if (services.includes('gateway')) {
      const gateway = await startGateway(await runtimeFor('gateway'), { host: options.host });
      stops.push(() => gateway.stop());
      url = gateway.url;
      routes = gateway.routes;
    }
    const prune = async () =>
      Object.fromEntries(await Promise.all(Object.entries(pruners).map(async ([service, pruner]) => [service, await pruner.runOnce()] as const)));
    return { mode: config.mode, url, metricsUrl: endpoint?.url, routes, databaseUrl, prune, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
