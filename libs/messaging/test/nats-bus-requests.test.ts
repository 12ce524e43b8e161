import { createLogger } from '@tessera/observability';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BusUnavailableError } from '../src/bus.js';
import { NatsBus } from '../src/nats-bus.js';

/** Request/reply on the real NATS server: answers, nobody serving, nobody answering, many at once, closing. */
const servers = process.env.TEST_NATS_URL ?? 'nats://127.0.0.1:4222';
const prefix = `reqtest_${Math.random().toString(36).slice(2, 10)}`;
const logger = createLogger({ level: 'silent' });
let caller: NatsBus;
let server: NatsBus;

beforeAll(async () => {
  caller = new NatsBus({ servers, subjectPrefix: prefix, name: 'caller', logger });
  server = new NatsBus({ servers, subjectPrefix: prefix, name: 'server', logger });
  await Promise.all([caller.connect(), server.connect()]);
  server.serve('test.echo', 'echo', async ({ data, headers }) => ({ ok: true, data: { echoed: data, requestId: headers['x-request-id'] } }));
  server.serve('test.silent', 'silent', () => new Promise(() => undefined));
});
afterAll(async () => {
  await caller?.close();
  await server?.close();
});

describe('NatsBus requests', () => {
  it('gets each reply to its own request, with headers, when many are in flight at once', async () => {
    const replies = await Promise.all(
      Array.from({ length: 200 }, (_, i) => caller.request('test.echo', { i }, { timeoutMs: 2_000, headers: { 'x-request-id': `r-${i}` } })),
    );
    replies.forEach((reply, i) => expect(reply).toEqual({ ok: true, data: { echoed: { i }, requestId: `r-${i}` } }));
  });

  it('fails at once with no_responders when nothing serves the subject', async () => {
    const started = Date.now();
    const error = await caller.request('test.nobody', {}, { timeoutMs: 5_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BusUnavailableError);
    expect((error as Error).message).toMatch(/Nothing is serving/);
    expect(Date.now() - started).toBeLessThan(2_500);
  });

  it('fails with a timeout when the server never answers, and keeps working afterwards', async () => {
    const error = await caller.request('test.silent', {}, { timeoutMs: 200 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BusUnavailableError);
    expect((error as Error).message).toMatch(/in time/);
    expect(await caller.request('test.echo', 'after', { timeoutMs: 2_000 })).toMatchObject({ ok: true, data: { echoed: 'after' } });
  });

  it('fails requests still waiting when the bus closes, and refuses new ones', async () => {
    const closing = new NatsBus({ servers, subjectPrefix: prefix, name: 'closing', logger });
    await closing.connect();
    const waiting = closing.request('test.silent', {}, { timeoutMs: 10_000 }).catch((e: unknown) => e);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await closing.close();
    expect(await waiting).toBeInstanceOf(BusUnavailableError);
    expect(await closing.request('test.echo', {}, { timeoutMs: 1_000 }).catch((e: unknown) => e)).toBeInstanceOf(BusUnavailableError);
  });
});
