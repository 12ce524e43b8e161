import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, headers, type NatsConnection } from '@nats-io/transport-node';
import type { TesseraConfig } from '@tessera/config';
import { Events, type InstanceRegisteredEvent, type PlatformInstanceView } from '@tessera/contracts';
import { createTestDatabase, deleteEventStream, eventually, EventWatcher, testConfig, testLogger, type TestDatabase } from '@tessera/testing';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { durableConsumerName } from '@tessera/messaging';
import { startPlatform, type RunningPlatform } from '../../src/platform.js';
import { ADMIN_PASSWORD, adminToken } from '../support/sign-in.js';

describe('instance.registered on real JetStream reaches a durable consumer that was down when it was published', () => {
  let db: TestDatabase;
  let config: TesseraConfig;
  let withoutBroker: RunningPlatform | undefined;
  let broker: RunningPlatform | undefined;
  let events: EventWatcher;
  let nats: NatsConnection;

  beforeAll(async () => {
    db = await createTestDatabase();
    config = testConfig(db, { TESSERA_ADMIN_PASSWORD: ADMIN_PASSWORD });
    events = await EventWatcher.start(config);
    nats = await connect({ servers: config.natsUrl!.split(',') });
  });

  afterAll(async () => {
    await broker?.stop();
    await withoutBroker?.stop();
    await events?.stop();
    await nats?.drain();
    await deleteEventStream(config);
    await db?.drop();
  });

  it('catches up after a restart and applies the event exactly once, even when JetStream delivers it twice', async () => {
    const streamName = `TESSERA_EVENTS_${config.subjectPrefix}`;
    const jsm = await jetstreamManager(nats);
    // The broker runs once (creating its durable consumer and schema), then is stopped before anything is published.
    const brokerConsumer = durableConsumerName('outbound-token-broker', Events.instanceRegistered);
    broker = await startPlatform(config, { logger: testLogger(), services: ['outbound-token-broker'] });
    await broker.stop();
    broker = undefined;
    expect((await jsm.consumers.info(streamName, brokerConsumer)).num_pending).toBe(0);

    withoutBroker = await startPlatform(config, { logger: testLogger(), services: ['auth-server', 'integrations-registry', 'gateway'] });
    const token = await adminToken(withoutBroker.url!);
    const response = await fetch(`${withoutBroker.url}/admin/instances`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ name: 'umbrella', baseUrl: 'https://umbrella.example.com' }),
    });
    expect(response.status).toBe(201);
    const instance = (await response.json()) as PlatformInstanceView;
    const event = await events.waitFor((e) => e.type === Events.instanceRegistered && (e.data as InstanceRegisteredEvent).instanceId === instance.id);
    // auth-server, which was running, has it; the stopped broker's durable consumer holds it, unapplied.
    await eventually(async () => (await db.query('SELECT 1 FROM auth.known_instance WHERE instance_id = $1', [instance.id])).length === 1);
    expect((await jsm.consumers.info(streamName, brokerConsumer)).num_pending).toBe(1);
    expect(await db.query('SELECT 1 FROM broker.peer_instance')).toEqual([]);

    broker = await startPlatform(config, { logger: testLogger(), services: ['outbound-token-broker'] });
    await eventually(async () => (await db.query('SELECT 1 FROM broker.peer_instance WHERE instance_id = $1', [instance.id])).length === 1, 10_000);

    // A second copy of the same envelope under another Nats-Msg-Id: JetStream stores it (no de-dup), so the consumers get it again.
    const h = headers();
    h.set('x-request-id', 'redelivery-drill');
    const ack = await jetstream(nats).publish(`${config.subjectPrefix}.${Events.instanceRegistered}`, JSON.stringify(event), {
      msgID: randomUUID(),
      headers: h,
    });
    expect(ack.duplicate).toBe(false);
    for (const durable of ['auth-server', 'outbound-token-broker'].map((service) => durableConsumerName(service, Events.instanceRegistered))) {
      await eventually(async () => {
        const info = await jsm.consumers.info(streamName, durable);
        return info.delivered.stream_seq >= ack.seq && info.ack_floor.stream_seq >= ack.seq && info.num_ack_pending === 0;
      }, 10_000);
    }

    expect(await db.query('SELECT event_id FROM auth.processed_event WHERE event_id = $1', [event.id])).toHaveLength(1);
    expect(await db.query('SELECT instance_id FROM auth.known_instance')).toEqual([{ instance_id: instance.id }]);
    expect(await db.query('SELECT event_id FROM broker.processed_event WHERE event_id = $1', [event.id])).toHaveLength(1);
    expect(await db.query('SELECT instance_id FROM broker.peer_instance')).toEqual([{ instance_id: instance.id }]);
  });
});
