import { BrokerClient } from '@tessera/broker-client';
import { decodeKey } from '@tessera/crypto';
import { Events, Subjects, type EventEnvelope } from '@tessera/contracts';
import { BusClient, NatsBus } from '@tessera/messaging';
import { systemClock } from '@tessera/observability';
import type { RunningMicroservice } from '@tessera/service-runtime';
import { createTestDatabase, deleteEventStream, eventually, FakeOAuthProvider, testConfig, testLogger, type TestDatabase } from '@tessera/testing';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOutboundTokenBroker } from '../src/index.js';

let database: TestDatabase;
let broker: RunningMicroservice;
let brokerBus: NatsBus;
let clientBus: NatsBus;
let fake: FakeOAuthProvider;
let client: BrokerClient;
let config: ReturnType<typeof testConfig>;
let tokenId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  config = testConfig(database, { TESSERA_ENCRYPTION_KEY: randomBytes(32).toString('base64') });
  fake = await new FakeOAuthProvider().start();
  brokerBus = new NatsBus({ servers: config.natsUrl!, subjectPrefix: config.subjectPrefix, name: 'broker', logger: testLogger() });
  clientBus = new NatsBus({ servers: config.natsUrl!, subjectPrefix: config.subjectPrefix, name: 'client', logger: testLogger() });
  await brokerBus.connect();
  await clientBus.connect();
  broker = await startOutboundTokenBroker({
    config,
    bus: brokerBus,
    database: { url: database.url },
    logger: testLogger(),
    clock: systemClock,
    encryptionKey: decodeKey(config.encryptionKey!),
  });
  const admin = new BusClient(clientBus, 5000);
  const provider = await admin.call(Subjects.broker.provider.create, {
    name: 'api',
    grantType: 'client_credentials',
    clientId: 'c',
    clientSecret: 's',
    tokenUrl: `${fake.url}/token`,
  });
  tokenId = (await admin.call(Subjects.broker.token.create, { name: 'api', providerId: provider.id })).id;
  client = new BrokerClient({ bus: clientBus, service: 'client-test' });
});

afterAll(async () => {
  await broker?.stop();
  await brokerBus?.close();
  await clientBus?.close();
  await fake?.stop();
  await deleteEventStream(config);
  await database?.drop();
});

describe('BrokerClient', () => {
  it('gets a token over request/reply and reuses it without asking again', async () => {
    const token = await client.tokenFor('api');
    expect(token).toMatchObject({ token_type: 'Bearer', scope: 'read write' });
    expect(fake.accessTokens.has(token.access_token)).toBe(true);
    const fetches = fake.tokenRequests.length;
    expect((await client.tokenFor('api')).access_token).toBe(token.access_token);
    expect(fake.tokenRequests.length).toBe(fetches);
  });

  it('reports broker errors as typed errors', async () => {
    await expect(client.tokenFor('missing')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('fetchWith applies the token, and on a 401 refreshes once and retries', async () => {
    const first = await client.fetchWith('api', `${fake.url}/api/things`, { method: 'POST', body: 'hello' });
    expect(await first.json()).toMatchObject({ ok: true, body: 'hello' });
    fake.invalidate((await client.tokenFor('api')).access_token);
    const fetches = fake.tokenRequests.length;
    const retried = await client.fetchWith('api', `${fake.url}/api/things`, { method: 'POST', body: 'again' });
    expect(retried.status).toBe(200);
    expect(await retried.json()).toMatchObject({ body: 'again' });
    expect(fake.tokenRequests.length - fetches).toBe(1);
  });

  it("fetchWith follows the proxy's 401 rule: after a refresh that did not help, further 401s pass back without refreshing again", async () => {
    // An API that refuses every token (a revoked client, a wrong audience): one refresh is worth a try, not one per call.
    const refusing: Server = createServer((_request, response) => void response.writeHead(401).end());
    await new Promise<void>((resolve) => refusing.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(refusing.address() as AddressInfo).port}/api`;
    try {
      const fetches = fake.tokenRequests.length;
      expect((await client.fetchWith('api', url)).status).toBe(401);
      expect(fake.tokenRequests.length - fetches).toBe(1);
      expect((await client.fetchWith('api', url)).status).toBe(401);
      expect((await client.fetchWith('api', url)).status).toBe(401);
      expect(fake.tokenRequests.length - fetches).toBe(1);
    } finally {
      await new Promise((resolve) => refusing.close(resolve));
    }
  });

  it("token.access answers by the token's id as by its name, and refuses both at once or neither", async () => {
    const ask = (payload: object) => clientBus.request(Subjects.broker.token.access, payload, { timeoutMs: 5000 });
    const byName = await ask({ name: 'api' });
    const byId = await ask({ id: tokenId });
    expect(byId).toMatchObject({ ok: true, data: { token_type: 'Bearer' } });
    expect((byId as { data: { access_token: string } }).data.access_token).toBe((byName as { data: { access_token: string } }).data.access_token);
    expect(await ask({ name: 'api', id: tokenId })).toMatchObject({
      ok: false,
      error: { code: 'validation_failed', details: { id: [expect.stringMatching(/not both/)] } },
    });
    expect(await ask({})).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
    expect(await ask({ id: 'not-a-uuid' })).toMatchObject({ ok: false, error: { code: 'validation_failed', details: { id: ['must be a UUID'] } } });
    expect(await ask({ id: '6f9619ff-8b86-4d11-b42d-00c04fc964ff' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('delivers token events on a durable consumer, including those published while it was stopped', async () => {
    const seen: EventEnvelope[] = [];
    let stop = await client.onTokenEvent((event) => void seen.push(event));
    await eventually(async () => seen.some((e) => e.type === Events.outboundTokenRefreshed));
    await stop.stop();
    const before = seen.length;
    await new BusClient(clientBus, 5000).call(Subjects.broker.token.revoke, { id: tokenId });
    await new Promise((r) => setTimeout(r, 300));
    expect(seen.length).toBe(before);
    stop = await client.onTokenEvent((event) => void seen.push(event));
    const revoked = await eventually(async () => seen.find((e) => e.type === Events.outboundTokenRevoked));
    expect(revoked.data).toEqual({ tokenId, name: 'api', revokedAtProvider: false });
    await stop.stop();
    // The revocation dropped the cached token: the next use is refused by the broker instead of served stale.
    await expect(client.tokenFor('api')).rejects.toMatchObject({ code: 'conflict' });
  });
});
