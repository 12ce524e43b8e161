import { type DynamicModule, Controller, Global, Inject, type INestMicroservice, Module, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  EVENT_REPLAY_BY_OWNER,
  eventOwnerOf,
  IMMEDIATE_EVENTS,
  ListDeadLettersQuery,
  ReplayEventsQuery,
  type DeadLetterPage,
  type EventOwner,
  type PingReply,
  type ReplayedEventPage,
} from '@tessera/contracts';
import { BusExceptionPassThrough, BusServer, MessageValidationPipe, type Bus } from '@tessera/messaging';
import { PinoNestLogger } from '@tessera/observability';
import type { RetentionConfig } from '@tessera/config';
import {
  AuditTrail,
  DatabaseAvailability,
  databaseIsUp,
  deadLetterMigration,
  DeadLetterStore,
  EventOutbox,
  OutboxReplay,
  Transactions,
  measureOutbox,
  measurePool,
  messagingPruneRules,
  openServiceDataSource,
  poolOf,
  Pruner,
  type DatabaseTarget,
  type PruneRule,
  type ServiceDataSourceOptions,
} from '@tessera/persistence';
import { BUS, metricsOf, RuntimeModule, type ServiceRuntime } from '@tessera/runtime';
import { DataSource } from 'typeorm';

/** A database-backed service's runtime: the process's, plus the database it opens its schema in. */
export interface MicroserviceRuntime extends ServiceRuntime {
  database: DatabaseTarget;
}

export interface MicroserviceDefinition {
  /** The service's name: its logger name, queue group and durable consumer name. */
  service: string;
  schema: string;
  pingSubject: string;
  /** Where it answers the list of events its consumers set aside. */
  deadLetterSubject: string;
  entities: ServiceDataSourceOptions['entities'];
  migrations: ServiceDataSourceOptions['migrations'];
  /** The service's feature modules. */
  imports: (Type | DynamicModule)[];
  /** What the service prunes on a schedule besides its outbox and inbox (docs/decisions/0016). */
  prune?: (retention: RetentionConfig) => PruneRule[];
}

export interface RunningMicroservice {
  app: INestMicroservice;
  dataSource: DataSource;
  outbox: EventOutbox;
  pruner: Pruner;
  stop(): Promise<void>;
}

export const DATA_SOURCE_TOKEN = Symbol('ServiceDataSource');

function pingController(subject: string, service: string) {
  @Controller()
  class PingController {
    constructor(
      @Inject(DATA_SOURCE_TOKEN) private readonly dataSource: DataSource,
      @Inject(BUS) private readonly bus: Bus,
    ) {}

    @MessagePattern(subject)
    async ping(): Promise<PingReply> {
      const feeds = this.bus.feeds().every((feed) => feed.state === 'live') ? 'live' : 'behind';
      return { service, database: (await databaseIsUp(this.dataSource)) ? 'up' : 'down', feeds };
    }
  }
  return PingController;
}

function deadLetterController(subject: string, store: DeadLetterStore) {
  @Controller()
  class DeadLetterController {
    @MessagePattern(subject)
    list(@Payload() query: ListDeadLettersQuery): Promise<DeadLetterPage> {
      return store.list(query);
    }
  }
  return DeadLetterController;
}

/** Answers, from the service's outbox, a consumer that fell behind the event stream's retention (ADR 0038). */
function eventReplayController(subject: string, replay: OutboxReplay) {
  @Controller()
  class EventReplayController {
    @MessagePattern(subject)
    replay(@Payload() query: ReplayEventsQuery): Promise<ReplayedEventPage> {
      return replay.replay(query);
    }
  }
  return EventReplayController;
}

/**
 * Boots one bus-facing service: opens its schema (running migrations), starts its outbox relay, and listens on
 * the bus through the Nest custom transport. The same code runs in its own process and inside the embedded platform.
 */
export async function bootMicroservice(runtime: MicroserviceRuntime, definition: MicroserviceDefinition): Promise<RunningMicroservice> {
  const logger = runtime.logger.child({ service: definition.service });
  let probe = async () => false;
  const availability = new DatabaseAvailability({ logger, probe: () => probe() });
  const dataSource = await openServiceDataSource({
    target: runtime.database,
    schema: definition.schema,
    entities: definition.entities,
    migrations: [...Object.values(definition.migrations), deadLetterMigration(definition.schema)],
    logger,
    availability,
  });
  probe = () => databaseIsUp(dataSource);
  const replaySubject = EVENT_REPLAY_BY_OWNER[definition.service as EventOwner] as string | undefined;
  const deadLetters = new DeadLetterStore(dataSource, runtime.clock, definition.service);
  // Only the owner of an immediate event has it in its outbox.
  const immediate = IMMEDIATE_EVENTS.filter((type) => eventOwnerOf(type) === definition.service);
  const outbox = new EventOutbox(dataSource, runtime.bus, runtime.clock, logger, availability, immediate);
  const retention = runtime.config.retention;
  const pruner = new Pruner(
    dataSource,
    runtime.clock,
    logger,
    [...messagingPruneRules(definition.schema, retention), ...(definition.prune?.(retention) ?? [])],
    { intervalMs: retention.pruneIntervalMs },
  );

  @Global()
  @Module({
    // `@InjectDataSource()` resolves the DataSource class itself: provided here directly rather than through
    // TypeOrmModule.forRoot, whose process-wide name registry would see the services of one process as clashing.
    providers: [
      { provide: DATA_SOURCE_TOKEN, useValue: dataSource },
      { provide: DataSource, useValue: dataSource },
      { provide: EventOutbox, useValue: outbox },
      { provide: DatabaseAvailability, useValue: availability },
      { provide: Pruner, useValue: pruner },
      { provide: AuditTrail, useValue: new AuditTrail(dataSource, outbox, definition.service) },
      { provide: Transactions, useValue: new Transactions(dataSource) },
    ],
    exports: [DATA_SOURCE_TOKEN, DataSource, EventOutbox, DatabaseAvailability, Pruner, AuditTrail, Transactions],
  })
  class ServiceInfrastructureModule {}

  @Module({
    imports: [RuntimeModule.forRoot({ ...runtime, logger }), ServiceInfrastructureModule, ...definition.imports],
    controllers: [
      pingController(definition.pingSubject, definition.service),
      deadLetterController(definition.deadLetterSubject, deadLetters),
      // Every service that publishes events answers for them.
      ...(replaySubject ? [eventReplayController(replaySubject, new OutboxReplay(dataSource))] : []),
    ],
  })
  class ServiceRootModule {}

  const app = await NestFactory.createMicroservice(ServiceRootModule, {
    strategy: new BusServer({
      bus: runtime.bus,
      service: definition.service,
      logger,
      onDeadLetter: (letter) => deadLetters.record(letter),
      // Every handler's database outage becomes `unavailable` here, so no handler needs to know what one looks like.
      classifyError: (error) =>
        availability.noteFailure(error) ? { code: 'unavailable', message: 'The service cannot reach its database; retry shortly' } : undefined,
    }),
    logger: new PinoNestLogger(logger),
    bufferLogs: false,
  });
  app.useGlobalFilters(new BusExceptionPassThrough());
  // Every @Payload() declared as a contracts class is validated before its handler runs (validation_failed otherwise).
  app.useGlobalPipes(new MessageValidationPipe());
  await app.listen();
  outbox.start();
  pruner.start();
  const metrics = metricsOf(runtime);
  const pool = poolOf(dataSource);
  const unmeasure = [measureOutbox(metrics, definition.service, dataSource, runtime.clock), ...(pool ? [measurePool(metrics, definition.schema, pool)] : [])];
  logger.info({ schema: definition.schema }, `${definition.service} is listening on the ${runtime.bus.kind} bus`);
  return {
    app,
    dataSource,
    outbox,
    pruner,
    stop: async () => {
      for (const remove of unmeasure) remove();
      // The relay and the pruner first: they need the data source, which closing the app destroys.
      await pruner.stop();
      await outbox.stop();
      availability.stop();
      await app.close();
      if (dataSource.isInitialized) await dataSource.destroy();
    },
  };
}
