import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { BusError, type EventEnvelope } from '@tessera/contracts';
import { createLogger } from '@tessera/observability';
import { eventually } from '@tessera/testing';
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_DELIVERIES, type DeadLetter } from '../src/consumer-policy.js';
import { durableConsumerName, NatsBus } from '../src/nats-bus.js';

/** Durable consumers facing messages they can never process, on the shared NATS under a prefix of this test's own. */
const prefix = `poison_${randomUUID().slice(0, 8)}`;
const subject = 'tessera.events.broker.token.recovered';
const lines: Record<string, unknown>[] = [];
const logger = createLogger({
  level: 'debug',
  destination: new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  }),
});
let bus: NatsBus;
let raw: NatsConnection;

beforeAll(async () => {
  bus = new NatsBus({ servers: process.env.NATS_URL ?? 'nats://127.0.0.1:4222', subjectPrefix: prefix, name: 'poison-test', logger });
  await bus.connect();
  await bus.ensureStream();
  raw = await connect({ servers: process.env.NATS_URL ?? 'nats://127.0.0.1:4222' });
});
afterAll(async () => {
  await bus?.deleteStream();
  await bus?.close();
  await raw?.close();
});

// A payload that fits its kind (consumers check that first), with the `n` this test's handler wants beside it.
const fits = { tokenId: 't-1', name: 'crm', failuresBeforeRecovery: 2, expiresAt: null };
const good = (n: number): EventEnvelope => ({ id: randomUUID(), type: subject, occurredAt: new Date().toISOString(), data: { ...fits, n } });

describe('a durable consumer and messages it can never process', () => {
  it('sets each aside once (terminated, recorded, one log line without a stack) and goes on with the next event', async () => {
    const letters: DeadLetter[] = [];
    const handled: number[] = [];
    const stop = await bus.consume({ durable: 'victim', subjects: [subject], onDeadLetter: async (letter) => void letters.push(letter) }, async (event) => {
      const n = (event.data as { n?: unknown }).n;
      if (typeof n !== 'number') throw new BusError('validation_failed', 'n must be a number');
      handled.push(n);
    });
    const js = jetstream(raw);
    const wire = `${prefix}.${subject}`;
    const poison: unknown[] = [
      'not json at all',
      { type: subject, occurredAt: new Date().toISOString(), data: {} }, // no id
      { id: 'not-a-uuid', type: subject, occurredAt: new Date().toISOString(), data: {} },
      { id: randomUUID(), type: subject, occurredAt: 'yesterday', data: {} },
      { id: randomUUID(), type: subject, occurredAt: new Date().toISOString(), data: 'a string' },
      // Another kind of event on this subject: it would reach the handler of that kind.
      { id: randomUUID(), type: 'tessera.events.audit.recorded', occurredAt: new Date().toISOString(), data: {} },
      [1, 2, 3],
    ];
    for (let copy = 0; copy < 20; copy++) for (const message of poison) await js.publish(wire, typeof message === 'string' ? message : JSON.stringify(message));
    await js.publish(wire, JSON.stringify({ ...good(0), data: { ...fits, n: 'not a number' } }));
    await js.publish(wire, JSON.stringify(good(1)));

    await eventually(async () => handled.includes(1) && letters.length === poison.length * 20 + 1, 20_000);
    expect(letters.filter((l) => l.reason === 'malformed')).toHaveLength(poison.length * 20);
    expect(letters.filter((l) => l.reason === 'rejected')).toHaveLength(1);
    expect(letters.every((l) => l.deliveries === 1 && l.consumer === durableConsumerName('victim', subject) && l.subject === subject)).toBe(true);
    expect(letters.find((l) => l.detail.includes('published on'))?.eventId).toMatch(/^[0-9a-f-]{36}$/);

    // Nothing waits for redelivery: every message was acknowledged or terminated.
    const jsm = await jetstreamManager(raw);
    const info = await jsm.consumers.info(bus.streamName, durableConsumerName('victim', subject));
    expect(info.num_ack_pending).toBe(0);
    expect(info.num_pending).toBe(0);
    expect(info.num_redelivered).toBe(0);
    expect(info.config.max_deliver).toBe(MAX_DELIVERIES);

    // One warning line per message set aside, and none of them carries a stack trace.
    const setAside = lines.filter((line) => line.msg === 'event set aside (dead letter)');
    expect(setAside).toHaveLength(letters.length);
    expect(lines.filter((line) => JSON.stringify(line).includes('    at '))).toEqual([]);
    await stop.stop();
  });

  it('bounds delivery on a consumer made before delivery was bounded', async () => {
    const jsm = await jetstreamManager(raw);
    const name = durableConsumerName('old', subject);
    await jsm.consumers.add(bus.streamName, { durable_name: name, ack_policy: 'explicit' as never, max_deliver: -1, filter_subject: `${prefix}.${subject}` });
    const stop = await bus.consume({ durable: 'old', subjects: [subject] }, async () => undefined);
    expect((await jsm.consumers.info(bus.streamName, name)).config.max_deliver).toBe(MAX_DELIVERIES);
    await stop.stop();
  });
});
