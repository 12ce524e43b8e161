import { type DynamicModule, Global, Module } from '@nestjs/common';
import { busCredentialFor, isOpenBus, type TesseraConfig } from '@tessera/config';
import { Egress, EgressPolicy } from '@tessera/egress';
import { readFileSync } from 'node:fs';
import { BusClient, InProcessBus, measuredBus, NatsBus, TracedBus, type Bus } from '@tessera/messaging';
import { Metrics, startMetricsEndpoint, tracingActive, type Clock, type Logger, type MetricsEndpoint } from '@tessera/observability';

/**
 * Everything a service needs from the process that hosts it; the launcher builds one per process (or per platform in
 * tests). The gateway needs no more; a database-backed service also gets its database (@tessera/service-runtime).
 */
export interface ServiceRuntime {
  config: TesseraConfig;
  bus: Bus;
  logger: Logger;
  clock: Clock;
  /** The 32-byte master key for encryption at rest and the client-secret pepper (TESSERA_ENCRYPTION_KEY). */
  encryptionKey: Buffer;
  /** The process's metrics (one registry for every service in it); off when absent or when METRICS_PORT is unset. */
  metrics?: Metrics;
  /**
   * Where a generated admin password is shown, once: `npm start` puts it in its start-up banner. Absent, the auth
   * server prints it to stdout itself (a service started on its own). Never the structured log.
   */
  showGeneratedAdminPassword?: (password: string) => void;
}

const METRICS_OFF = Metrics.off();

export const RUNTIME = Symbol('ServiceRuntime');
/** The process's Metrics, injectable (always defined: instruments that do nothing when metrics are off). */
export const METRICS = Symbol('Metrics');
export const CLOCK = Symbol('Clock');
export const LOGGER = Symbol('Logger');
export const ENCRYPTION_KEY = Symbol('EncryptionKey');
/** The one way a service makes outbound HTTP requests: under the egress policy (ADR 0015). */
export const EGRESS = Symbol('Egress');
/** The values services use, each injectable on its own, so a class names what it depends on rather than the runtime. */
export const ISSUER = Symbol('Issuer');
/** The process's bus itself (watch, notify), for what BusClient's request/reply does not cover. */
export const BUS = Symbol('Bus');
export const BUS_TIMEOUT_MS = Symbol('BusTimeoutMs');
export const BROKER_SETTINGS = Symbol('BrokerSettings');
/** TESSERA_ADMIN_PASSWORD: the first admin's password, when set (else one is generated and printed once). */
export const ADMIN_PASSWORD = Symbol('AdminPassword');
/** Where a generated admin password is shown once (ServiceRuntime.showGeneratedAdminPassword); null: stdout. */
export const SHOW_GENERATED_ADMIN_PASSWORD = Symbol('ShowGeneratedAdminPassword');

/** Makes the runtime, its clock, logger, bus client and the configuration values services use injectable in every module of a service. */
@Global()
@Module({})
export class RuntimeModule {
  static forRoot(runtime: ServiceRuntime): DynamicModule {
    return {
      module: RuntimeModule,
      providers: [
        { provide: RUNTIME, useValue: runtime },
        { provide: CLOCK, useValue: runtime.clock },
        { provide: LOGGER, useValue: runtime.logger },
        { provide: ENCRYPTION_KEY, useValue: runtime.encryptionKey },
        { provide: METRICS, useValue: metricsOf(runtime) },
        { provide: BusClient, useValue: new BusClient(runtime.bus, runtime.config.busTimeoutMs) },
        { provide: EGRESS, useValue: new Egress(EgressPolicy.fromConfig(runtime.config)) },
        { provide: ISSUER, useValue: runtime.config.issuer },
        { provide: BUS, useValue: runtime.bus },
        { provide: BUS_TIMEOUT_MS, useValue: runtime.config.busTimeoutMs },
        { provide: BROKER_SETTINGS, useValue: runtime.config.broker },
        { provide: ADMIN_PASSWORD, useValue: runtime.config.adminPassword },
        { provide: SHOW_GENERATED_ADMIN_PASSWORD, useValue: runtime.showGeneratedAdminPassword ?? null },
      ],
      exports: [
        RUNTIME,
        CLOCK,
        LOGGER,
        ENCRYPTION_KEY,
        METRICS,
        BusClient,
        EGRESS,
        ISSUER,
        BUS,
        BUS_TIMEOUT_MS,
        BROKER_SETTINGS,
        ADMIN_PASSWORD,
        SHOW_GENERATED_ADMIN_PASSWORD,
      ],
    };
  }
}

/** Once per process: the platform in one process opens a connection per service, and one warning says it all. */
let warnedOpenBus = false;

/**
 * The bus for one service (by name): NATS in distributed mode, with this service's own credential when it has one;
 * measured when `metrics` are on, traced when this process exports traces (start tracing first).
 */
export function createBus(config: TesseraConfig, name: string, logger: Logger, metrics: Metrics = METRICS_OFF): Bus {
  const bus = measuredBus(untracedBus(config, name, logger), metrics);
  return tracingActive() ? new TracedBus(bus) : bus;
}

/** The service's own bus credential (its bytes), when it connects to a secured NATS; none in-process or on an open bus. */
export function busCredentialOf(config: TesseraConfig, name: string): Uint8Array | undefined {
  if (config.mode !== 'distributed') return undefined;
  const credentialFile = busCredentialFor(config.busSecurity, config.subjectPrefix, name);
  return credentialFile ? readFileSync(credentialFile) : undefined;
}

function untracedBus(config: TesseraConfig, name: string, logger: Logger): Bus {
  if (config.mode !== 'distributed') return new InProcessBus(logger);
  const security = { credentials: busCredentialOf(config, name), tls: config.busSecurity.tls };
  if (isOpenBus(config.busSecurity)) {
    if (!warnedOpenBus)
      logger.warn(
        `OPEN BUS: NATS without credentials, so anyone who reaches ${config.natsUrl} can act as any Tessera service. ` +
          'For development only; see `npm run nats:config` and TESSERA_REQUIRE_SECURE_BUS.',
      );
    warnedOpenBus = true;
  } else if (!security.tls) {
    logger.info(`${name}: NATS authenticated without TLS: secrets cross the bus in clear, so keep NATS on a trusted network or set NATS_TLS_CA`);
  }
  return new NatsBus({ servers: config.natsUrl!, subjectPrefix: config.subjectPrefix, name, logger, security, streams: config.streams });
}

export function metricsOf(runtime: Pick<ServiceRuntime, 'metrics'>): Metrics {
  return runtime.metrics ?? METRICS_OFF;
}

/**
 * The metrics of one process: on, with their endpoint on METRICS_HOST:METRICS_PORT, when METRICS_PORT is set; off
 * (nothing collected, nothing listening) otherwise.
 */
export async function startProcessMetrics(config: TesseraConfig, logger: Logger): Promise<{ metrics: Metrics; endpoint?: MetricsEndpoint }> {
  const settings = config.metrics;
  if (settings.port === undefined) return { metrics: METRICS_OFF };
  const metrics = await Metrics.on({ clientLabels: settings.clientLabels });
  const endpoint = await startMetricsEndpoint(metrics, { port: settings.port, host: settings.host, token: settings.token, logger });
  return { metrics, endpoint };
}
