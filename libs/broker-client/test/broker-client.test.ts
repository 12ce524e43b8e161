import { decodeKey } from '@tessera/crypto';
import { Events, Subjects, type EventEnvelope } from '@tessera/contracts';
import { BusClient, NatsBus } from '@tessera/messaging';
import { startOutboundTokenBroker } from '@tessera/outbound-token-broker';
import { systemClock } from '@tessera/persistence';
import type { RunningMicroservice } from '@tessera/runtime';
import { createTestDatabase, deleteEventStream, eventually, FakeOAuthProvider, testConfig, testLogger, type TestDatabase } from '@tessera/testing';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrokerClient } from '../src/index.js';

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
  broker = await startOutboundTokenBroker({ config, bus: brokerBus, database: { url: database.url }, logger: testLogger(), clock: systemClock, encryptionKey: decodeKey(config.encryptionKey!) });
  const admin = new BusClient(clientBus, 5000);
  const provider = await admin.call(Subjects.broker.provider.create, { name: 'api', grantType: 'client_credentials', clientId: 'c', clientSecret: 's', tokenUrl: `${fake.url}/token` });
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
