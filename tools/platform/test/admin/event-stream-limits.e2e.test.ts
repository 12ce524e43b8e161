import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { eventStreamName } from '@tessera/messaging';
import { eventually } from '@tessera/testing';
import { request, type ClientRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../support/test-platform.js';

/** A live event stream opened from a chosen source address: its status, and a way to hang up. */
function openStream(url: string, token: string, localAddress = '127.0.0.1'): Promise<{ status: number; close(): void }> {
  return new Promise((resolve, reject) => {
    const outgoing: ClientRequest = request(
      `${url}/admin/events/stream`,
      { headers: { authorization: `Bearer ${token}` }, localAddress, agent: false },
      (incoming) => {
        incoming.on('error', () => undefined);
        if (incoming.statusCode !== 200) incoming.resume();
        resolve({ status: incoming.statusCode ?? 0, close: () => outgoing.destroy() });
      },
    );
    outgoing.on('error', reject);
    outgoing.end();
  });
}

/** Live event streams: a few per session and per address (429 beyond), and no consumer left behind on the server. */
describe('live event streams', () => {
  let t: TestPlatform;
  let nats: NatsConnection;
  const consumers = async () => {
    const jsm = await jetstreamManager(nats);
    let n = 0;
    for await (const _ of jsm.consumers.list(eventStreamName(t.config.subjectPrefix))) n++;
    return n;
  };

  beforeAll(async () => {
    // Sign-ins are argon2id hashes: slow on a loaded machine.
    t = await startTestPlatform({ env: { TESSERA_EVENT_STREAMS_PER_SESSION: '3', TESSERA_EVENT_STREAMS_PER_ADDRESS: '5', TESSERA_BUS_TIMEOUT_MS: '15000' } });
    nats = await connect({ servers: t.config.natsUrl });
  });
  afterAll(async () => {
    await nats?.close();
    await t?.stop();
  });

  it('refuses a session its fourth stream and an address its sixth with 429, and a closed stream gives its place back', async () => {
    const baseline = await consumers();
    const [first, second] = [await t.adminToken(), await t.adminToken()];
    const open = [];
    for (let n = 0; n < 3; n++) open.push(await openStream(t.url, first));
    expect(open.map((s) => s.status)).toEqual([200, 200, 200]);
    expect((await openStream(t.url, first)).status).toBe(429);

    open.push(await openStream(t.url, second), await openStream(t.url, second));
    expect(open.map((s) => s.status)).toEqual([200, 200, 200, 200, 200]);
    // The address holds five: a third stream of the second session is refused from it, accepted from another address.
    expect((await openStream(t.url, second)).status).toBe(429);
    const elsewhere = await openStream(t.url, second, '127.0.0.2');
    expect(elsewhere.status).toBe(200);

    open.shift()!.close();
    await eventually(async () => await openStream(t.url, first).then((s) => (s.status === 200 ? (open.push(s), true) : false)), 5_000, 100);

    for (const stream of [...open, elsewhere]) stream.close();
    await eventually(async () => (await consumers()) === baseline, 10_000, 200);
  });

  it('opening and closing many streams leaves the server with as many consumers as before', async () => {
    const baseline = await consumers();
    const tokens: string[] = [];
    for (let n = 0; n < 4; n++) tokens.push(await t.adminToken());
    for (let round = 0; round < 8; round++) {
      const streams = await Promise.all(tokens.flatMap((token, n) => [1, 2, 3].map((k) => openStream(t.url, token, `127.0.${n + 1}.${k}`))));
      expect(streams.map((s) => s.status)).toEqual(streams.map(() => 200));
      for (const stream of streams) stream.close();
      // Each closed stream gives its places back as its connection ends.
      await eventually(async () => await openStream(t.url, tokens[0], '127.0.9.9').then((s) => (s.close(), s.status === 200)), 5_000, 50);
    }
    // About 100 streams opened and closed: each one's consumer is deleted, not left to its inactivity threshold (minutes).
    await eventually(async () => (await consumers()) === baseline, 10_000, 200);
  });
});
