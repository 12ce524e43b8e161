import { type DynamicModule, Global, Module } from '@nestjs/common';
import { busCredentialFor, isOpenBus, type TesseraConfig } from '@tessera/config';
import { Egress, EgressPolicy } from '@tessera/egress';
import { readFileSync } from 'node:fs';
import { BusClient, InProcessBus, NatsBus, TracedBus, type Bus } from '@tessera/messaging';
import { tracingActive, type Logger } from '@tessera/observability';
import type { Clock, DatabaseTarget } from '@tessera/persistence';

/** Everything a service needs from the process that hosts it; the launcher builds one per process (or per platform in tests). */
export interface ServiceRuntime {
  config: TesseraConfig;
  bus: Bus;
  database: DatabaseTarget;
  logger: Logger;
  clock: Clock;
  /** The 32-byte master key for encryption at rest and the client-secret pepper (TESSERA_ENCRYPTION_KEY). */
  encryptionKey: Buffer;
  /**
   * Where a generated admin password is shown, once: `npm start` puts it in its start-up banner. Absent, the auth
   * server prints it to stdout itself (a service started on its own). Never the structured log.
   */
  showGeneratedAdminPassword?: (password: string) => void;
}

export const RUNTIME = Symbol('ServiceRuntime');
export const CLOCK = Symbol('Clock');
export const LOGGER = Symbol('Logger');
export const ENCRYPTION_KEY = Symbol('EncryptionKey');
/** The one way a service makes outbound HTTP requests: under the egress policy (ADR 0015). */
export const EGRESS = Symbol('Egress');

/** Makes the runtime, its clock, logger and a bus client injectable in every module of a service. */
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
        { provide: BusClient, useValue: new BusClient(runtime.bus, runtime.config.busTimeoutMs) },
        { provide: EGRESS, useValue: new Egress(EgressPolicy.fromConfig(runtime.config)) },
      ],
      exports: [RUNTIME, CLOCK, LOGGER, ENCRYPTION_KEY, BusClient, EGRESS],
    };
  }
}

/** Once per process: the platform in one process opens a connection per service, and one warning says it all. */
let warnedOpenBus = false;

/**
 * The bus for one service (by name): NATS in distributed mode, with this service's own credential when it has one.
 * Traced when this process exports traces (start tracing first).
 */
export function createBus(config: TesseraConfig, name: string, logger: Logger): Bus {
  const bus = untracedBus(config, name, logger);
  return tracingActive() ? new TracedBus(bus) : bus;
}

function untracedBus(config: TesseraConfig, name: string, logger: Logger): Bus {
  if (config.mode !== 'distributed') return new InProcessBus(logger);
  const credentialFile = busCredentialFor(config.busSecurity, config.subjectPrefix, name);
  const security = { credentials: credentialFile ? readFileSync(credentialFile) : undefined, tls: config.busSecurity.tls };
  if (isOpenBus(config.busSecurity)) {
    if (!warnedOpenBus) logger.warn(`OPEN BUS: NATS without credentials, so anyone who reaches ${config.natsUrl} can act as any Tessera service. `
      + 'For development only; see `npm run nats:config` and TESSERA_REQUIRE_SECURE_BUS.');
    warnedOpenBus = true;
  } else if (!security.tls) {
    logger.info(`${name}: NATS authenticated without TLS: secrets cross the bus in clear, so keep NATS on a trusted network or set NATS_TLS_CA`);
  }
  return new NatsBus({ servers: config.natsUrl!, subjectPrefix: config.subjectPrefix, name, logger, security });
}
