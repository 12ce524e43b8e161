import { decodeKey } from '@tessera/crypto';
import { systemClock } from '@tessera/observability';
import { Events, Subjects, type OutboundTokenView } from '@tessera/contracts';
import { BusClient, NatsBus } from '@tessera/messaging';
import type { RunningMicroservice } from '@tessera/service-runtime';
import { createTestDatabase, deleteEventStream, EventWatcher, FakeOAuthProvider, testConfig, testLogger, type TestDatabase } from '@tessera/testing';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOutboundTokenBroker } from '../src/index.js';

/**
 * Two broker replicas on one database, talked to over NATS as other services do: exactly one refresh per token at a
 * time across both, whoever asks and however many ask.
 */
let database: TestDatabase;
let replicas: RunningMicroservice[];
let buses: NatsBus[];
let client: BusClient;
let fake: FakeOAuthProvider;
let events: EventWatcher;
let config: ReturnType<typeof testConfig>;

beforeAll(async () => {
  database = await createTestDatabase();
  config = testConfig(database, { TESSERA_ENCRYPTION_KEY: randomBytes(32).toString('base64'), TESSERA_BUS_TIMEOUT_MS: '10000' });
  fake = await new FakeOAuthProvider({ delayMs: 300 }).start();
  buses = ['broker-a', 'broker-b', 'caller'].map(
    (name) => new NatsBus({ servers: config.natsUrl!, subjectPrefix: config.subjectPrefix, name, logger: testLogger() }),
  );
  await Promise.all(buses.map((b) => b.connect()));
  replicas = [];
  for (const bus of buses.slice(0, 2)) {
    replicas.push(
      await startOutboundTokenBroker(
        { config, bus, database: { url: database.url }, logger: testLogger(), clock: systemClock, encryptionKey: decodeKey(config.encryptionKey!) },
        { scheduler: { pollMs: 50 } },
      ),
    );
  }
  client = new BusClient(buses[2], 10_000);
  events = await EventWatcher.start(config);
});

afterAll(async () => {
  await events?.stop();
  for (const replica of replicas ?? []) await replica.stop();
  for (const bus of buses ?? []) await bus.close();
  await fake?.stop();
  await deleteEventStream(config);
  await database?.drop();
});

async function ccToken(name: string, provider: Record<string, unknown> = {}): Promise<OutboundTokenView> {
  const created = await client.call(Subjects.broker.provider.create, {
    name: `${name}-provider`,
    grantType: 'client_credentials',
    clientId: 'c',
    clientSecret: 's',
    tokenUrl: `${fake.url}/token/${name}`,
    ...provider,
  });
  return client.call(Subjects.broker.token.create, { name, providerId: created.id });
}

const requestsFor = (name: string) => fake.tokenRequests.filter((r) => r.path === `/token/${name}`).length;

describe('two broker replicas', () => {
  it('answers the token request/reply subject with a fresh token, fetched once for 20 concurrent callers', async () => {
    await ccToken('shared');
    const replies = await Promise.all(Array.from({ length: 20 }, () => client.call(Subjects.broker.token.access, { name: 'shared' })));
    expect(new Set(replies.map((r) => r.access_token)).size).toBe(1);
    expect(replies[0]).toMatchObject({ token_type: 'Bearer', scope: 'read write' });
    expect(requestsFor('shared')).toBe(1);
  });

  it('refreshes a rejected token once across both replicas, and callers reporting the old token share the new one', async () => {
    const { access_token: old } = await client.call(Subjects.broker.token.access, { name: 'shared' });
    const { createHash } = await import('node:crypto');
    const rejectedTokenHash = createHash('sha256').update(old).digest('base64url');
    const before = requestsFor('shared');
    const replies = await Promise.all(Array.from({ length: 20 }, () => client.call(Subjects.broker.token.access, { name: 'shared', rejectedTokenHash })));
    expect(requestsFor('shared') - before).toBe(1);
    expect(new Set(replies.map((r) => r.access_token))).toEqual(new Set([replies[0].access_token]));
    expect(replies[0].access_token).not.toBe(old);
  });

  it("shares one token's backoff across both replicas: a failing provider is called once per backoff step, however many callers ask", async () => {
    const failing = await new FakeOAuthProvider({ failNext: { count: Number.MAX_SAFE_INTEGER, status: 503, body: 'down' } }).start();
    try {
      const created = await client.call(Subjects.broker.provider.create, {
        name: 'failing-provider',
        grantType: 'client_credentials',
        clientId: 'c',
        clientSecret: 's',
        tokenUrl: `${failing.url}/token/failing`,
      });
      const token = await client.call(Subjects.broker.token.create, { name: 'failing', providerId: created.id });
      const started = Date.now();
      const refusals: { retryAfterSeconds?: number }[] = [];
      // Twenty callers spread over both replicas, each asking again at once, for 3 s.
      await Promise.all(
        Array.from({ length: 20 }, async () => {
          while (Date.now() - started < 3_000) {
            await client.call(Subjects.broker.token.access, { name: 'failing' }).then(
              () => expect.unreachable('a failing provider issued a token'),
              (error: { code: string; details?: { retryAfterSeconds?: number } }) => {
                expect(error.code).toBe('unavailable');
                refusals.push(error.details ?? {});
              },
            );
          }
        }),
      );
      // Attempts at ≥0, 0.5 and 1.5 s (backoff from 1 s, jittered down to half): at most 3 in 3 s, by whichever replica.
      expect(failing.pathStats.get('/token/failing')?.count).toBeLessThanOrEqual(3);
      expect(refusals.length).toBeGreaterThan(20);
      expect(refusals.every((r) => Number(r.retryAfterSeconds) >= 1)).toBe(true);
      await new Promise((r) => setTimeout(r, 300));
      const failures = events.events.filter((e) => e.type === Events.outboundTokenRefreshFailed && (e.data as { tokenId: string }).tokenId === token.id);
      expect(new Set(failures.map((e) => e.id)).size).toBe(1);
    } finally {
      await failing.stop();
    }
  });

  it('schedules each refresh on one replica only: 30 short-lived tokens, each refreshed once per expiry', async () => {
    fake.behaviour.delayMs = 0;
    fake.behaviour.expiresIn = 4;
    const names = Array.from({ length: 30 }, (_, i) => `short-${i}`);
    const tokens = await Promise.all(names.map((name) => ccToken(name, { refreshBufferSeconds: 0 })));
    // Creating a client_credentials token fetches it (no access call needed: one on a 4 s token, inside the 5 s
    // freshness margin, would fetch again). First fetch at t≈0; the scheduler refreshes at ≈80 % of 4 s (3.0-3.4 s) and again ≈3.2 s later. Each token is
    // looked at 5 s after its own first fetch (on a loaded machine the thirty fetches spread over a second or more).
    const fetchedAt = new Map(names.map((name) => [name, fake.pathStats.get(`/token/${name}`)!.last]));
    for (const name of [...names].sort((a, b) => fetchedAt.get(a)! - fetchedAt.get(b)!)) {
      await new Promise((r) => setTimeout(r, Math.max(0, fetchedAt.get(name)! + 5_000 - Date.now())));
      expect(requestsFor(name), name).toBe(2);
    }
    await new Promise((r) => setTimeout(r, 300));
    // The events of each token's first 5 s (the fetch and one refresh), as above.
    const windowEnd = new Map(tokens.map((t) => [t.id, fetchedAt.get(t.name)! + 5_000]));
    const refreshed = events.events.filter(
      (e) =>
        e.type === Events.outboundTokenRefreshed &&
        windowEnd.has((e.data as { tokenId: string }).tokenId) &&
        Date.parse(e.occurredAt) <= windowEnd.get((e.data as { tokenId: string }).tokenId)!,
    );
    // Both replicas relay the shared outbox and JetStream de-duplicates by event id; a plain subscriber sees repeats.
    expect(new Set(refreshed.map((e) => e.id)).size).toBe(60);
    fake.behaviour.expiresIn = 3600;
  });
});
