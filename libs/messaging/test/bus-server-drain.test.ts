import { createLogger } from '@tessera/observability';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BusServer } from '../src/bus-server.js';
import { BusUnavailableError } from '../src/bus.js';
import { NatsBus } from '../src/nats-bus.js';

/** Stopping a service on the real NATS: requests it has taken are answered before it goes; new ones are not taken. */
const servers = process.env.TEST_NATS_URL ?? 'nats://127.0.0.1:4222';
const prefix = `draintest_${Math.random().toString(36).slice(2, 10)}`;
const logger = createLogger({ level: 'silent' });
let caller: NatsBus;

beforeAll(async () => {
  caller = new NatsBus({ servers, subjectPrefix: prefix, name: 'caller', logger });
  await caller.connect();
});
afterAll(() => caller?.close());

async function serviceWithSlowHandler(drainTimeoutMs?: number) {
  const bus = new NatsBus({ servers, subjectPrefix: prefix, name: 'service', logger });
  const server = new BusServer({ bus, service: 'drain-test', logger, drainTimeoutMs });
  let release!: () => void;
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  let taken = 0;
  server.addHandler(
    'test.slow',
    Object.assign(
      async (data: unknown) => {
        taken++;
        await gate;
        return { answered: data };
      },
      { isEventHandler: false },
    ) as never,
  );
  await new Promise<void>((resolve, reject) => server.listen((error) => (error ? reject(error) : resolve())));
  return { bus, server, release, taken: () => taken };
}

describe('BusServer.close', () => {
  it('answers the requests already taken before it resolves, and takes no new ones', async () => {
    const service = await serviceWithSlowHandler();
    const replies = Array.from({ length: 5 }, (_, i) => caller.request('test.slow', i, { timeoutMs: 5_000 }));
    await expect.poll(service.taken).toBe(5);
    let closed = false;
    const closing = service.server.close().then(() => (closed = true));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(closed).toBe(false);
    expect(await caller.request('test.slow', 'late', { timeoutMs: 2_000 }).catch((e: unknown) => e)).toBeInstanceOf(BusUnavailableError);
    service.release();
    expect(await Promise.all(replies)).toEqual([0, 1, 2, 3, 4].map((i) => ({ ok: true, data: { answered: i } })));
    await closing;
    expect(service.taken()).toBe(5);
    await service.bus.close();
  });

  it('gives up waiting after its drain timeout', async () => {
    const service = await serviceWithSlowHandler(200);
    const reply = caller.request('test.slow', 'stuck', { timeoutMs: 1_000 }).catch((e: unknown) => e);
    await expect.poll(service.taken).toBe(1);
    await service.server.close();
    await service.bus.close();
    expect(await reply).toBeInstanceOf(BusUnavailableError);
    service.release();
  });
});
