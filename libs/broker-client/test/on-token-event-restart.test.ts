import { Events, type EventEnvelope } from '@tessera/contracts';
import { NatsBus } from '@tessera/messaging';
import { createLogger } from '@tessera/observability';
import { eventually, startOwnNats, type OwnNats } from '@tessera/testing';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrokerClient } from '../src/broker-client.js';

/** `onTokenEvent` keeps delivering through a restart of a nats-server of this test's own. */
const logger = createLogger({ level: 'silent' });
let nats: OwnNats;
let broker: NatsBus;
let service: NatsBus;

const refreshed = (n: number): EventEnvelope => ({
  id: randomUUID(),
  type: Events.outboundTokenRefreshed,
  occurredAt: new Date().toISOString(),
  data: { tokenId: randomUUID(), name: `token-${n}`, expiresAt: null, scope: null },
});

beforeAll(async () => {
  nats = await startOwnNats();
  broker = new NatsBus({ servers: nats.url, subjectPrefix: 'bc', name: 'outbound-token-broker', logger });
  service = new NatsBus({ servers: nats.url, subjectPrefix: 'bc', name: 'reporting', logger });
  await Promise.all([broker.connect(), service.connect()]);
});
afterAll(async () => {
  await service?.close();
  await broker?.close();
  await nats?.destroy();
});

describe('BrokerClient.onTokenEvent across a NATS restart', () => {
  it('delivers every token event once, those published after the restart included', async () => {
    const names: string[] = [];
    const client = new BrokerClient({ bus: service, service: 'reporting' });
    const feed = await client.onTokenEvent((event) => void names.push((event.data as { name: string }).name));
    for (let n = 1; n <= 3; n++) await broker.publish(refreshed(n));
    await eventually(async () => names.length === 3);
    await nats.stop();
    await nats.start();
    for (let n = 4; n <= 6; n++) await eventually(() => broker.publish(refreshed(n)).then(() => true), 10_000, 50);
    await eventually(async () => names.length >= 6, 5_000, 10);
    expect(names).toEqual(['token-1', 'token-2', 'token-3', 'token-4', 'token-5', 'token-6']);
    await feed.stop();
  });
});
