import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { createLogger } from '@tessera/observability';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NatsBus } from '../src/nats-bus.js';
import { replayBucketName } from '../src/replay-cache.js';

/** The replay cache on the real NATS: two buses are two replicas of one service, sharing one key-value bucket. */
const servers = process.env.TEST_NATS_URL ?? 'nats://127.0.0.1:4222';
const prefix = `replaytest_${Math.random().toString(36).slice(2, 10)}`;
const logger = createLogger({ level: 'silent' });
let first: NatsBus;
let second: NatsBus;

beforeAll(async () => {
  first = new NatsBus({ servers, subjectPrefix: prefix, name: 'auth-server', logger });
  second = new NatsBus({ servers, subjectPrefix: prefix, name: 'auth-server', logger });
  await Promise.all([first.connect(), second.connect()]);
});
afterAll(async () => {
  await first?.close();
  await second?.close();
  const connection = await connect({ servers });
  const jsm = await jetstreamManager(connection);
  await jsm.streams.delete(`KV_${replayBucketName(prefix, 'test')}`).catch(() => undefined);
  await connection.close();
});

describe('a replay cache shared by replicas (NATS key-value, create-only)', () => {
  it('lets a value through once: a second presentation, to the same or another replica, is refused', async () => {
    const [a, b] = [first.replayCache('test', 60_000), second.replayCache('test', 60_000)];
    const jti = randomUUID();
    expect(await a.claimOnce(jti)).toBe(true);
    expect(await b.claimOnce(jti)).toBe(false);
    expect(await a.claimOnce(jti)).toBe(false);
    expect(await b.claimOnce(randomUUID())).toBe(true);
  });

  it('gives one success between replicas racing with the same value', async () => {
    const [a, b] = [first.replayCache('test', 60_000), second.replayCache('test', 60_000)];
    const jti = randomUUID();
    const results = await Promise.all([a, b, a, b, a, b].map((cache) => cache.claimOnce(jti)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });
});
