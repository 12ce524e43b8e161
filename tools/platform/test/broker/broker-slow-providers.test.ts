import { Events } from '@tessera/contracts';
import { eventually, FakeOAuthProvider } from '@tessera/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrokerPlatform, type BrokerPlatform } from '../support/broker-platform.js';

/**
 * The broker under a provider that hangs and one that fails: what callers, administrators
 * and the healthy providers' tokens see, at the gateway, with the database's own view of the broker's connections.
 */
let p: BrokerPlatform;
let hanging: FakeOAuthProvider;
let healthy: FakeOAuthProvider;
let failing: FakeOAuthProvider;

type View = { id: string; name: string; state: string; expiresAt: string | null; consecutiveFailures: number };

beforeAll(async () => {
  [hanging, healthy, failing] = await Promise.all([
    new FakeOAuthProvider({ expiresIn: 3 }).start(),
    new FakeOAuthProvider({ expiresIn: 3 }).start(),
    new FakeOAuthProvider().start(),
  ]);
  // The broker's default pool (10 connections) and per-provider bound (8): a hang that held a connection per call
  // would take the whole pool with these 12 tokens.
  p = await startBrokerPlatform({ broker: { scheduler: { pollMs: 100 } } });
});

afterAll(async () => {
  await p?.stop();
  await Promise.all([hanging, healthy, failing].map((f) => f?.stop()));
});

async function ccTokens(fake: FakeOAuthProvider, prefix: string, count: number, provider: Record<string, unknown> = {}): Promise<View[]> {
  const created = await p.http<{ id: string }>('POST', '/admin/providers', {
    name: `${prefix}-provider`,
    grantType: 'client_credentials',
    clientId: 'c',
    clientSecret: 's',
    tokenUrl: `${fake.url}/token/${prefix}`,
    refreshBufferSeconds: 0,
    ...provider,
  });
  expect(created.status, created.text).toBe(201);
  const tokens: View[] = [];
  for (let i = 0; i < count; i++) {
    const token = await p.http<View>('POST', '/admin/tokens', { name: `${prefix}-${i}`, providerId: created.body.id });
    expect(token.status, token.text).toBe(201);
    tokens.push(token.body);
  }
  return tokens;
}

/**
 * The broker's connections in use right now, as Postgres sees them: running a statement, inside a transaction, or
 * holding a lock (a session that holds a lock between statements is checked out of the pool). Idle pooled ones are not.
 */
async function brokerConnectionsInUse(): Promise<number> {
  const [{ count }] = await p.database.query<{ count: string }>(
    `SELECT count(*) FROM pg_stat_activity AS a
      WHERE a.datname = current_database() AND a.application_name = 'tessera-broker'
        AND (a.state <> 'idle' OR EXISTS (SELECT 1 FROM pg_locks AS l WHERE l.pid = a.pid AND l.granted))`,
  );
  return Number(count);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a provider that hangs', () => {
  it('delays only its own tokens: the others are refreshed on time, admin reads stay fast, readiness stays up, the pool is not drained', async () => {
    const stuck = await ccTokens(hanging, 'hanging', 12, { timeoutSeconds: 4 });
    const fine = await ccTokens(healthy, 'healthy', 3);
    for (const token of [...stuck, ...fine]) expect((await p.http('GET', `/tokens/${token.name}`)).status).toBe(200);
    hanging.behaviour.hang = true;

    // Callers of the hanging provider's tokens pile up as well (each GET waits for its token's refresh).
    const callers = stuck.map((token) => p.http('GET', `/tokens/${token.name}`).catch(() => undefined));
    const started = Date.now();
    const healthyCallsBefore = healthy.pathStats.get('/token/healthy')?.count ?? 0;
    let maxConnections = 0;
    let slowestAdminRead = 0;
    const notReady: number[] = [];
    const healthyExpired: string[] = [];
    const stuckShownValidPastExpiry: string[] = [];
    while (Date.now() - started < 7_000) {
      maxConnections = Math.max(maxConnections, await brokerConnectionsInUse());
      const readStarted = Date.now();
      const list = await p.http<{ items: View[] }>('GET', '/admin/tokens?limit=100');
      slowestAdminRead = Math.max(slowestAdminRead, Date.now() - readStarted);
      expect(list.status).toBe(200);
      for (const token of list.body.items) {
        // Past its expiry when the list was asked for, so past it when the broker read it.
        const pastExpiry = token.expiresAt !== null && Date.parse(token.expiresAt) <= readStarted;
        if (token.name.startsWith('healthy') && (token.state !== 'valid' || pastExpiry)) healthyExpired.push(`${token.name}:${token.state}`);
        if (token.name.startsWith('hanging') && pastExpiry && token.state === 'valid') stuckShownValidPastExpiry.push(token.name);
      }
      const ready = await p.http('GET', '/health/ready');
      if (ready.status !== 200) notReady.push(ready.status);
      await sleep(200);
    }
    await Promise.all(callers);

    expect(hanging.hanging).toBeGreaterThan(0);
    // Three healthy tokens living 3 s, refreshed at ≈80 %: each refreshed twice or more in 7 s, none ever expired.
    expect((healthy.pathStats.get('/token/healthy')?.count ?? 0) - healthyCallsBefore).toBeGreaterThanOrEqual(6);
    expect(healthyExpired).toEqual([]);
    expect(notReady).toEqual([]);
    expect(slowestAdminRead).toBeLessThan(1_000);
    // A claim, a read or a write now and then: a few connections, not one per hanging call (the pool has 10).
    expect(maxConnections).toBeLessThanOrEqual(4);
    // The hanging tokens lapsed while their refresh hung; they read expired (or refreshing), never valid.
    expect(stuckShownValidPastExpiry).toEqual([]);
    const states = new Set(
      (await p.http<{ items: View[] }>('GET', '/admin/tokens?limit=100')).body.items.filter((t) => t.name.startsWith('hanging')).map((t) => t.state),
    );
    expect(
      [...states].every((s) => s === 'expired' || s === 'refreshing'),
      [...states].join(),
    ).toBe(true);
    const listedExpired = await p.http<{ items: View[] }>('GET', '/admin/tokens?state=valid&limit=100');
    expect(listedExpired.body.items.filter((t) => t.name.startsWith('hanging'))).toEqual([]);

    hanging.release();
    // Once the provider answers again its tokens come back by themselves (each call was cut off at its timeout).
    await eventually(
      async () => {
        const views = (await p.http<{ items: View[] }>('GET', '/admin/tokens?limit=100')).body.items.filter((t) => t.name.startsWith('hanging'));
        return views.every((t) => t.state === 'valid') && views;
      },
      15_000,
      200,
    );
  }, 40_000);
});

describe('a provider that fails', () => {
  it('is called once per token per backoff step however many callers ask, who get 503 with a Retry-After; one failure event per token', async () => {
    failing.behaviour.failNext = { count: Number.MAX_SAFE_INTEGER, status: 500, body: '{"error":"server_error"}' };
    const tokens = await ccTokens(failing, 'failing', 10);
    const started = Date.now();
    const answers: { status: number; retryAfter: string | null }[] = [];
    // Ten readers per token, each asking again as soon as it has an answer, for 6 s.
    await Promise.all(
      tokens.flatMap((token) =>
        Array.from({ length: 10 }, async () => {
          while (Date.now() - started < 6_000) {
            const answer = await p.http('GET', `/tokens/${token.name}`);
            answers.push({ status: answer.status, retryAfter: answer.headers.get('retry-after') });
          }
        }),
      ),
    );
    const calls = failing.pathStats.get('/token/failing')?.count ?? 0;
    // Backoff from 1 s doubling, jittered down to half: attempts at ≥0, 0.5, 1.5, 3.5 s, so at most 4 per token in 6 s,
    // whoever makes them (readers or the scheduler). Without the shared backoff, one call per round of readers.
    expect(calls).toBeLessThanOrEqual(tokens.length * 4);
    expect(answers.length).toBeGreaterThan(calls * 2);
    expect(answers.every((a) => a.status === 503)).toBe(true);
    expect(answers.every((a) => Number(a.retryAfter) >= 1)).toBe(true);
    expect(answers.some((a) => Number(a.retryAfter) > 1)).toBe(true);
    await sleep(500);
    const failures = p.events.events.filter(
      (e) => e.type === Events.outboundTokenRefreshFailed && tokens.some((t) => t.id === (e.data as { tokenId: string }).tokenId),
    );
    // The tokens were expired (never fetched) and stay so: the streak's first failure is the only state change.
    expect(new Set(failures.map((e) => e.id)).size).toBe(tokens.length);
    expect(failures[0].data).toMatchObject({ permanent: false, state: 'expired', retryAt: expect.any(String) });
    const view = (await p.http<View>('GET', `/admin/tokens/${tokens[0].id}`)).body;
    expect(view.state).toBe('expired');
    expect(view.consecutiveFailures).toBeGreaterThanOrEqual(2);
  }, 30_000);
});
