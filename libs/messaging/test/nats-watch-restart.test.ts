import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import type { EventEnvelope } from '@tessera/contracts';
import { createLogger } from '@tessera/observability';
import { eventually, startOwnNats, type OwnNats } from '@tessera/testing';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NatsBus } from '../src/nats-bus.js';

/** Live feeds (`watch`) across a restart of a nats-server of this test's own. */
const logger = createLogger({ level: 'silent' });
let nats: OwnNats;
let publisher: NatsBus;
let watcher: NatsBus;

/**
 * Consumers check a payload against its kind before a handler sees it (EVENT_PAYLOADS): `n` rides on a payload that
 * fits every instance event used here (fields a kind does not declare are let through).
 */
const event = (type: string, n: number): EventEnvelope => ({
  id: randomUUID(),
  type,
  occurredAt: new Date().toISOString(),
  data: {
    n,
    instanceId: `i-${n}`,
    name: `instance-${n}`,
    baseUrl: 'https://peer.example.test',
    registeredAt: new Date().toISOString(),
    tokenId: 't',
    state: 'valid',
  },
});

beforeAll(async () => {
  nats = await startOwnNats();
  publisher = new NatsBus({ servers: nats.url, subjectPrefix: 'wt', name: 'publisher', logger });
  watcher = new NatsBus({ servers: nats.url, subjectPrefix: 'wt', name: 'gateway', logger });
  await Promise.all([publisher.connect(), watcher.connect()]);
});
afterAll(async () => {
  await watcher?.close();
  await publisher?.close();
  await nats?.destroy();
});

/** Publishes through the outbox's path, retrying while the bus is away (as the outbox relay does). */
async function publishEventually(bus: NatsBus, envelope: EventEnvelope): Promise<void> {
  await eventually(() => bus.publish(envelope).then(() => true), 10_000, 50);
}

describe('NatsBus.watch across a NATS restart', () => {
  it('resumes by itself after the last event it saw: every event once, in order, none lost', async () => {
    const seen: number[] = [];
    const feed = await watcher.watch(['tessera.events.registry.instance.registered'], 60_000, async (e) => void seen.push((e.data as { n: number }).n));
    for (let n = 1; n <= 5; n++) await publisher.publish(event('tessera.events.registry.instance.registered', n));
    await eventually(async () => seen.length === 5);
    expect(feed.isLive()).toBe(true);

    await nats.stop();
    await eventually(async () => !watcher.isConnected());
    expect(feed.status().state).toBe('down');
    expect(watcher.feeds()).toEqual([
      expect.objectContaining({ name: 'gateway-watch', subject: 'tessera.events.registry.instance.registered', state: 'down' }),
    ]);
    await nats.start();
    const back = Date.now();
    for (let n = 6; n <= 10; n++) await publishEventually(publisher, event('tessera.events.registry.instance.registered', n));
    await eventually(async () => seen.length >= 10, 5_000, 10);
    // Published and delivered within a second of the server being back (the client reconnects every 500 ms).
    expect(Date.now() - back).toBeLessThan(1_000);
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    await eventually(async () => feed.isLive());

    // A second restart, and events published while the watcher is away but the server is up (a network cut).
    await nats.stop('SIGKILL');
    await nats.start();
    for (let n = 11; n <= 13; n++) await publishEventually(publisher, event('tessera.events.registry.instance.registered', n));
    await eventually(async () => seen.length >= 13, 5_000, 10);
    expect(seen).toEqual(Array.from({ length: 13 }, (_, i) => i + 1));
    await feed.stop();
    expect(watcher.feeds()).toEqual([]);
  });

  it('a feed that has seen nothing yet still gets what is published as the server comes back, before it resumes', async () => {
    // The Activity stream with no history (replay 0) over a restart: the first event after the restart is relayed
    // from an outbox the moment the publisher reconnects, before this feed has resumed.
    const seen: number[] = [];
    const feed = await watcher.watch(['tessera.events.registry.instance.deauthorized'], 0, async (e) => void seen.push((e.data as { n: number }).n));
    await nats.stop();
    await eventually(async () => !watcher.isConnected());
    await nats.start();
    // A fresh connection publishes at once, before the watcher's reconnect (every 500 ms) and resume.
    const first = new NatsBus({ servers: nats.url, subjectPrefix: 'wt', name: 'publisher', logger });
    await first.connect();
    await first.publish(event('tessera.events.registry.instance.deauthorized', 1));
    await first.close();
    expect(feed.isLive()).toBe(false);
    // The feed resumes after that event: it must start from when it began, not from when it resumed.
    await eventually(async () => feed.isLive(), 5_000, 10);
    await publishEventually(publisher, event('tessera.events.registry.instance.deauthorized', 2));
    await eventually(async () => seen.length >= 2, 5_000, 10);
    expect(seen).toEqual([1, 2]);
    await feed.stop();
  });

  it('names its consumers <bus name>-watch… (the secured bus grants JetStream rights by that prefix)', async () => {
    const feed = await watcher.watch(['tessera.events.registry.instance.updated'], 0, async () => undefined);
    const nc = await connect({ servers: nats.url });
    const names: string[] = [];
    for await (const page of (await jetstreamManager(nc)).consumers.list(watcher.streamName)) names.push(page.name);
    await nc.close();
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) expect(name.startsWith('gateway-watch')).toBe(true);
    await feed.stop();
  });

  it('reports behind while it has not caught up with the stream, and live once it has', async () => {
    for (let n = 1; n <= 20; n++) await publishEventually(publisher, event('tessera.events.registry.instance.authorized', n));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const seen: number[] = [];
    const feed = await watcher.watch(['tessera.events.registry.instance.authorized'], 60_000, async (e) => {
      await gate;
      seen.push((e.data as { n: number }).n);
    });
    expect(feed.status().state).toBe('behind');
    expect(feed.isLive()).toBe(false);
    release();
    await eventually(async () => seen.length === 20);
    expect(feed.isLive()).toBe(true);
    await feed.stop();
  });
});
