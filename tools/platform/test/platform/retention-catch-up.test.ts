import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { TesseraConfig } from '@tessera/config';
import { Events, NOTICE_SUBJECTS, type PlatformInstanceView } from '@tessera/contracts';
import { durableConsumerName, eventStreamName, noticeStreamName } from '@tessera/messaging';
import { createLogger } from '@tessera/observability';
import { createTestDatabase, deleteEventStream, eventually, testConfig, testLogger, type TestDatabase } from '@tessera/testing';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type RunningPlatform } from '../../src/platform.js';
import { ADMIN_PASSWORD, adminToken } from '../support/sign-in.js';

/**
 * A durable consumer the stream's retention passed by (ADR 0038): the change stream of this test's own prefix is cut
 * to a few messages while the broker is down, so JetStream alone would hand the broker only the last of the events it
 * missed; it catches up from the registry's outbox instead, each event once.
 */
const REGISTERED = 8;
const NANOS_PER_HOUR = 3_600_000 * 1_000_000;

describe('bounded event streams', () => {
  let db: TestDatabase;
  let config: TesseraConfig;
  let withoutBroker: RunningPlatform | undefined;
  let broker: RunningPlatform | undefined;
  let nats: NatsConnection;
  const brokerLog: Record<string, unknown>[] = [];
  const brokerLogger = createLogger({
    level: 'info',
    destination: new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split('\n').filter(Boolean)) brokerLog.push(JSON.parse(line));
        done();
      },
    }),
  });

  beforeAll(async () => {
    db = await createTestDatabase();
    config = testConfig(db, { TESSERA_ADMIN_PASSWORD: ADMIN_PASSWORD });
    nats = await connect({ servers: config.natsUrl!.split(',') });
  });

  afterAll(async () => {
    await broker?.stop();
    await withoutBroker?.stop();
    await nats?.drain();
    await deleteEventStream(config);
    await db?.drop();
  });

  it('keeps changes and notifications in two streams, each bounded by age and size', async () => {
    withoutBroker = await startPlatform(config, { logger: testLogger(), services: ['auth-server', 'integrations-registry', 'gateway'] });
    await adminToken(withoutBroker.url!);
    const jsm = await jetstreamManager(nats);
    const changes = await jsm.streams.info(eventStreamName(config.subjectPrefix));
    const notices = await jsm.streams.info(noticeStreamName(config.subjectPrefix));
    expect(changes.config).toMatchObject({ max_age: 168 * NANOS_PER_HOUR, max_bytes: 1024 * 1024 * 1024, num_replicas: 1, discard: 'old' });
    expect(notices.config).toMatchObject({ max_age: NANOS_PER_HOUR, max_bytes: 256 * 1024 * 1024, num_replicas: 1, discard: 'old' });
    const wired = (subject: string) => `${config.subjectPrefix}.${subject}`;
    expect(notices.config.subjects).toEqual(NOTICE_SUBJECTS.map(wired));
    expect(changes.config.subjects).toContain(wired(Events.tokenRevoked));
    expect(changes.config.subjects).toContain(wired('tessera.events.registry.>'));
    expect(changes.config.subjects).not.toContain(wired(Events.tokenIssued));
  });

  it('a durable consumer that fell behind retention catches up from the owner’s outbox: none lost, none twice', async () => {
    await withoutBroker?.stop();
    withoutBroker = undefined;
    const jsm = await jetstreamManager(nats);
    const stream = eventStreamName(config.subjectPrefix);
    const consumer = durableConsumerName('outbound-token-broker', Events.instanceRegistered);
    // The broker runs once (its schema and durable consumers), then is down while the instances are registered.
    broker = await startPlatform(config, { logger: testLogger(), services: ['outbound-token-broker'] });
    await broker.stop();
    broker = undefined;

    withoutBroker = await startPlatform(config, { logger: testLogger(), services: ['auth-server', 'integrations-registry', 'gateway'] });
    // A tiny retention: each registration publishes its event and an audit line, so most registrations are discarded.
    const { config: streamConfig } = await jsm.streams.info(stream);
    await jsm.streams.update(stream, { ...streamConfig, max_msgs: 6 });
    const token = await adminToken(withoutBroker.url!);
    const ids: string[] = [];
    for (let n = 0; n < REGISTERED; n++) {
      const response = await fetch(`${withoutBroker.url}/admin/instances`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ name: `umbrella-${n}`, baseUrl: `https://umbrella-${n}.example.com` }),
      });
      expect(response.status).toBe(201);
      ids.push(((await response.json()) as PlatformInstanceView).id);
    }
    await eventually(async () => (await db.query(`SELECT 1 FROM registry.outbox_event WHERE published_at IS NULL`)).length === 0, 10_000);
    const relayed = await db.query(`SELECT stream_sequence FROM registry.outbox_event WHERE type = $1 AND stream_sequence IS NOT NULL`, [
      Events.instanceRegistered,
    ]);
    expect(relayed).toHaveLength(REGISTERED);
    // What JetStream alone would still deliver to the broker: fewer than were registered.
    const stillStored = (await jsm.consumers.info(stream, consumer)).num_pending;
    expect(stillStored).toBeLessThan(REGISTERED);

    broker = await startPlatform(config, { logger: brokerLogger, services: ['outbound-token-broker'] });
    await eventually(async () => (await db.query('SELECT 1 FROM broker.peer_instance')).length === REGISTERED, 15_000);
    expect((await db.query('SELECT instance_id FROM broker.peer_instance')).map((r) => String(r.instance_id)).sort()).toEqual([...ids].sort());
    expect(await db.query(`SELECT 1 FROM broker.processed_event WHERE type = $1`, [Events.instanceRegistered])).toHaveLength(REGISTERED);
    // Each event reached the handler once: the replayed ones and the ones still stored add up to the registrations.
    const caughtUp = brokerLog.filter((line) => line.msg === 'durable consumer caught up' && line.consumer === consumer);
    expect(caughtUp).toHaveLength(1);
    expect(caughtUp[0].replayed).toBe(REGISTERED - stillStored);
    await eventually(async () => (await jsm.consumers.info(stream, consumer)).num_ack_pending === 0);
  });
});
