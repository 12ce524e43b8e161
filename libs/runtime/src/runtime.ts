import { type DynamicModule, Global, Module } from '@nestjs/common';
import type { TesseraConfig } from '@tessera/config';
import { Egress, EgressPolicy } from '@tessera/egress';
import { BusClient, InProcessBus, NatsBus, type Bus } from '@tessera/messaging';
import type { Logger } from '@tessera/observability';
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

export function createBus(config: TesseraConfig, name: string, logger: Logger): Bus {
  return config.mode === 'distributed'
    ? new NatsBus({ servers: config.natsUrl!, subjectPrefix: config.subjectPrefix, name, logger })
    : new InProcessBus(logger);
}
