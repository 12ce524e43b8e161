import type { EventEnvelope } from '@tessera/contracts';
import { runWithRequestContext, systemClock } from '@tessera/observability';
import { connectTestBus, createTestDatabase, deleteEventStream, eventually, EventWatcher, testConfig, testLogger, type TestDatabase } from '@tessera/testing';
import type { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyOnce, createMessagingTables, EventOutbox, MESSAGING_ENTITIES, openServiceDataSource, type EventPublisher } from '../src/index.js';

/** The outbox and inbox on the real PostgreSQL and NATS: what every service's events rely on (ADR 0003). */
const SCHEMA = 'relay';

class MessagingTables1766100000000 implements MigrationInterface {
  name = 'MessagingTables1766100000000';
  async up(queryRunner: QueryRunner): Promise<void> {
    await createMessagingTables(queryRunner, SCHEMA);
  }
  async down(): Promise<void> {}
}

let database: TestDatabase;
let config: ReturnType<typeof testConfig>;
let bus: Awaited<ReturnType<typeof connectTestBus>>;
let watcher: EventWatcher;
const dataSources: DataSource[] = [];
const outboxes: EventOutbox[] = [];

const open = async () => {
  const dataSource = await openServiceDataSource({
    target: { url: database.url, poolSize: 4 },
    schema: SCHEMA,
    entities: MESSAGING_ENTITIES,
    migrations: [MessagingTables1766100000000],
    logger: testLogger(),
  });
  dataSources.push(dataSource);
  return dataSource;
};
const outboxOn = (dataSource: DataSource, publisher: EventPublisher = bus) => {
  const outbox = new EventOutbox(dataSource, publisher, systemClock, testLogger());
  outboxes.push(outbox);
  return outbox;
};
const pending = async (dataSource: DataSource) =>
  Number((await dataSource.query(`SELECT count(*) AS n FROM ${SCHEMA}.outbox_event WHERE published_at IS NULL`))[0].n);
const seen = (type: string) => watcher.events.filter((e) => e.type === type);

beforeAll(async () => {
  database = await createTestDatabase();
  config = testConfig(database);
  bus = await connectTestBus(config, 'outbox-test');
  watcher = await EventWatcher.start(config);
});
afterAll(async () => {
  for (const outbox of outboxes) await outbox.stop();
  for (const dataSource of dataSources) if (dataSource.isInitialized) await dataSource.destroy();
  await watcher?.stop();
  await bus?.close();
  if (config) await deleteEventStream(config);
  await database?.drop();
});

describe('the outbox', () => {
  it('publishes an event only if the transaction that recorded it commits, with the envelope it recorded', async () => {
    const dataSource = await open();
    const outbox = outboxOn(dataSource);
    await expect(
      dataSource.transaction(async (manager) => {
        await outbox.record(manager, 'tessera.events.registry.instance.updated', { n: 1 });
        throw new Error('the change fails');
      }),
    ).rejects.toThrow('the change fails');
    const recorded = await runWithRequestContext({ requestId: 'req-outbox-1' }, () =>
      dataSource.transaction((manager) => outbox.record(manager, 'tessera.events.registry.instance.authorized', { n: 2 })),
    );
    await outbox.flush();

    const published = await watcher.waitFor((e) => e.id === recorded.id);
    expect(published).toEqual(recorded);
    expect(recorded).toMatchObject({ type: 'tessera.events.registry.instance.authorized', data: { n: 2 } });
    const [row] = await dataSource.query(`SELECT headers, published_at, stream_sequence FROM ${SCHEMA}.outbox_event WHERE id = $1`, [recorded.id]);
    expect(row.headers).toEqual({ 'x-request-id': 'req-outbox-1' });
    expect(row.published_at).not.toBeNull();
    // Where the stream stored it: a consumer behind the stream's retention asks the owner by it (ADR 0038).
    expect(Number(row.stream_sequence)).toBeGreaterThan(0);
    expect(
      Number((await dataSource.query(`SELECT count(*) AS n FROM ${SCHEMA}.outbox_event WHERE type = 'tessera.events.registry.instance.updated'`))[0].n),
    ).toBe(0);
    expect(seen('tessera.events.registry.instance.updated')).toEqual([]);
  });

  it('sends an immediate event (a revocation) over plain NATS at once, while the stream has not acknowledged it', async () => {
    const dataSource = await open();
    // A stream electing a leader: the publish is answered only seconds later.
    const electing: EventPublisher = {
      publish: () => new Promise((_, reject) => setTimeout(() => reject(new Error('no stream leader')), 3_000)),
      notify: (event, headers) => bus.notify(event, headers),
    };
    const outbox = new EventOutbox(dataSource, electing, systemClock, testLogger(), undefined, ['tessera.events.auth.token.revoked']);
    outboxes.push(outbox);
    const recorded = await dataSource.transaction((manager) => outbox.record(manager, 'tessera.events.auth.token.revoked', { jti: 'early' }));
    const relaying = outbox.flush();
    expect(await watcher.waitFor((e) => e.id === recorded.id, 1_000)).toEqual(recorded);
    // One recorded while that relay still waits for the stream goes out at once too, not after it.
    const next = await dataSource.transaction((manager) => outbox.record(manager, 'tessera.events.auth.token.revoked', { jti: 'next' }));
    void outbox.flush();
    expect(await watcher.waitFor((e) => e.id === next.id, 1_000)).toEqual(next);
    await relaying;
    // Not acknowledged, so still pending: the relay publishes it again (stored once, by its id) when the stream is back.
    expect(await dataSource.query(`SELECT published_at FROM ${SCHEMA}.outbox_event WHERE id = $1`, [recorded.id])).toEqual([{ published_at: null }]);
  });

  it('keeps what was committed but not relayed (a crash before publish) and the next relay publishes it, oldest first', async () => {
    const dataSource = await open();
    const crashed = outboxOn(dataSource);
    const events: EventEnvelope[] = [];
    for (const n of [1, 2, 3])
      events.push(await dataSource.transaction((manager) => crashed.record(manager, 'tessera.events.registry.instance.deauthorized', { n })));
    expect(await pending(dataSource)).toBeGreaterThanOrEqual(3);

    const restarted = outboxOn(dataSource);
    restarted.start(100);
    await eventually(async () => seen('tessera.events.registry.instance.deauthorized').length >= 3, 10_000);
    expect(seen('tessera.events.registry.instance.deauthorized').map((e) => e.id)).toEqual(events.map((e) => e.id));
    await eventually(async () => (await pending(dataSource)) === 0);
    await restarted.stop();
  });

  it('two replicas relaying one outbox publish each event exactly once', async () => {
    const [first, second] = [await open(), await open()];
    const publishes: string[] = [];
    const counting: EventPublisher = { publish: (event, headers) => (publishes.push(event.id), bus.publish(event, headers)) };
    const [a, b] = [outboxOn(first, counting), outboxOn(second, counting)];
    await first.transaction((manager) =>
      a.recordMany(
        manager,
        Array.from({ length: 1200 }, (_, n) => ({ type: 'tessera.events.registry.instance.deleted', data: { n } })),
      ),
    );

    await Promise.all([a.flush(), b.flush(), a.flush(), b.flush()]);
    await eventually(async () => seen('tessera.events.registry.instance.deleted').length >= 1200, 15_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(publishes).toHaveLength(1200);
    expect(new Set(publishes).size).toBe(1200);
    expect(seen('tessera.events.registry.instance.deleted')).toHaveLength(1200);
    expect(await pending(first)).toBe(0);
  });
});

describe('the inbox', () => {
  const event = (id: string): EventEnvelope => ({ id, type: 'tessera.events.inbox.test', occurredAt: new Date().toISOString(), data: {} });

  it('applies an event once: a redelivery does nothing', async () => {
    const dataSource = await open();
    let applied = 0;
    const delivery = event(systemClock.uuid());
    expect(
      await applyOnce(dataSource, delivery, async () => {
        applied++;
      }),
    ).toBe(true);
    expect(
      await applyOnce(dataSource, delivery, async () => {
        applied++;
      }),
    ).toBe(false);
    expect(applied).toBe(1);
  });

  it('records nothing when the work fails, so the redelivery applies it; concurrent deliveries apply it once', async () => {
    const dataSource = await open();
    const delivery = event(systemClock.uuid());
    await expect(
      applyOnce(dataSource, delivery, async (manager) => {
        await manager.query(`INSERT INTO ${SCHEMA}.outbox_event (id, type, data, occurred_at) VALUES ($1, 'tessera.events.inbox.effect', '{}', now())`, [
          systemClock.uuid(),
        ]);
        throw new Error('the work fails');
      }),
    ).rejects.toThrow('the work fails');
    expect(Number((await dataSource.query(`SELECT count(*) AS n FROM ${SCHEMA}.processed_event WHERE event_id = $1`, [delivery.id]))[0].n)).toBe(0);
    expect(Number((await dataSource.query(`SELECT count(*) AS n FROM ${SCHEMA}.outbox_event WHERE type = 'tessera.events.inbox.effect'`))[0].n)).toBe(0);

    let applied = 0;
    const results = await Promise.all(
      Array.from({ length: 4 }, () =>
        applyOnce(dataSource, delivery, async () => {
          applied++;
        }),
      ),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(applied).toBe(1);
  });
});
