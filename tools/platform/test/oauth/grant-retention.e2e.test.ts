import { AUDIT_RECORDED, Events } from '@tessera/contracts';
import { systemClock, type Clock } from '@tessera/observability';
import { eventually, FakeOAuthProvider } from '@tessera/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrokerPlatform, type BrokerPlatform } from '../support/broker-platform.js';

/**
 * Retention (ADR 0016): with the clock moved forward, each service's pruning pass deletes expired and revoked grants,
 * authorization requests and old inbox/outbox rows — and nothing a live token still needs. Grant retention is 0 here,
 * so what keeps a row is only what the rules say must keep it.
 */
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
let offset = 0;
const clock: Clock = { now: () => new Date(Date.now() + offset), uuid: systemClock.uuid };
let p: BrokerPlatform;
let fake: FakeOAuthProvider;
let client: { id: string; applicationId: string; appSecret: string };

const basic = (c: typeof client) => `Basic ${Buffer.from(`${c.applicationId}:${c.appSecret}`).toString('base64')}`;
async function oauth(path: string, params: Record<string, string>, c = client) {
  const response = await fetch(`${p.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(c) },
    body: new URLSearchParams(params).toString(),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> };
}
const count = async (sql: string, params: unknown[] = []) => Number((await p.database.query<{ n: string }>(`SELECT count(*) AS n FROM ${sql}`, params))[0].n);

beforeAll(async () => {
  fake = await new FakeOAuthProvider().start();
  // The outbox keeps published events an hour here (the default, 192 h, outlives the event stream for catch-up: ADR 0038).
  p = await startBrokerPlatform({
    clock,
    env: { TESSERA_GRANT_RETENTION_HOURS: '0', TESSERA_PRUNE_INTERVAL_SECONDS: '0', TESSERA_OUTBOX_RETENTION_HOURS: '1' },
  });
  const created = await p.http<typeof client>('POST', '/admin/integrations', { name: 'retained', permissions: ['*:orgs=read'], accessTokenTtlSeconds: 86_400 });
  client = created.body;
});
afterAll(async () => {
  await p?.stop();
  await fake?.stop();
});

describe('pruning grants', () => {
  it('keeps a revoked grant while its access tokens can still be live, then deletes it with its refresh tokens', async () => {
    const issued = await oauth('/oauth/token', { grant_type: 'client_credentials' });
    const jwt = JSON.parse(Buffer.from(String(issued.body.access_token).split('.')[1], 'base64url').toString()) as { fid: string };
    expect((await p.http('DELETE', `/admin/integrations/${client.id}/tokens/${jwt.fid}`)).status).toBe(204);

    // 23 hours on, the day-long access token has not expired: the revoked grant must still deny it.
    offset = 23 * HOUR;
    await p.platform.prune();
    expect(await count(`auth.refresh_token_family WHERE id = $1`, [jwt.fid])).toBe(1);
    expect((await oauth('/oauth/introspect', { token: String(issued.body.access_token) })).body).toEqual({ active: false });

    // Past the longest access-token lifetime after the revocation, nothing of it can be valid: the grant goes.
    offset = DAY + 60_000;
    const deleted = await p.platform.prune();
    expect(deleted['auth-server'].revoked_refresh_token_family).toBeGreaterThanOrEqual(1);
    expect(await count(`auth.refresh_token_family WHERE id = $1`, [jwt.fid])).toBe(0);
    expect(await count(`auth.refresh_token WHERE family_id = $1`, [jwt.fid])).toBe(0);
    offset = 0;
  });

  it('keeps an expired grant until the last access token it could have minted has expired', async () => {
    const issued = await oauth('/oauth/token', { grant_type: 'client_credentials' });
    const { fid } = JSON.parse(Buffer.from(String(issued.body.access_token).split('.')[1], 'base64url').toString()) as { fid: string };
    // Its refresh token expires after 28 days; one refreshed just before could mint an access token living a day more.
    offset = 28 * DAY + 23 * HOUR;
    await p.platform.prune();
    expect(await count(`auth.refresh_token_family WHERE id = $1`, [fid])).toBe(1);
    offset = 29 * DAY + 60_000;
    await p.platform.prune();
    expect(await count(`auth.refresh_token_family WHERE id = $1`, [fid])).toBe(0);
    offset = 0;
  });

  it('never prunes a live grant, however old', async () => {
    const forever = await p.http<typeof client>('POST', '/admin/integrations', {
      name: 'forever',
      permissions: ['*:orgs=read'],
      refreshTokensValidUntilRevoked: true,
    });
    const issued = await oauth('/oauth/token', { grant_type: 'client_credentials' }, forever.body);
    offset = 400 * DAY;
    await p.platform.prune();
    expect(await count(`auth.refresh_token_family WHERE integration_id = $1`, [forever.body.id])).toBe(1);
    const refreshed = await oauth('/oauth/token', { grant_type: 'refresh_token', refresh_token: String(issued.body.refresh_token) }, forever.body);
    expect(refreshed.status).toBe(200);
    offset = 0;
  });
});

describe('pruning authorization requests and the inbox and outbox', () => {
  it('deletes expired authorization requests, applied-event ids past the inbox retention and published events past the outbox retention', async () => {
    const provider = await p.http<{ id: string }>('POST', '/admin/providers', {
      name: 'code',
      grantType: 'authorization_code',
      clientId: 'c',
      clientSecret: 's',
      authorizationUrl: `${fake.url}/authorize`,
      tokenUrl: `${fake.url}/token`,
    });
    const token = await p.http<{ id: string }>('POST', '/admin/tokens', { name: 'code-token', providerId: provider.body.id });
    expect((await p.http('POST', `/admin/tokens/${token.body.id}/authorize`)).status).toBe(200);
    expect(await count(`broker.authorization_request WHERE token_id = $1`, [token.body.id])).toBe(1);
    // auth-server and the broker apply instance registrations: each leaves the event's id in their inboxes.
    expect((await p.http('POST', '/admin/instances', { name: 'inbox-filler', baseUrl: 'https://filler.example' })).status).toBe(201);
    // The registration and every audit line the services wrote so far have reached auth-server's inbox, so
    // the count is settled before pruning.
    const unapplied = `(SELECT id FROM registry.outbox_event WHERE type = ANY($1) UNION ALL SELECT id FROM broker.outbox_event WHERE type = ANY($1)
      UNION ALL SELECT id FROM auth.outbox_event WHERE type = ANY($1)) o WHERE NOT EXISTS (SELECT 1 FROM auth.processed_event p WHERE p.event_id = o.id)`;
    const settled = async () => (await count(unapplied, [[...Object.values(AUDIT_RECORDED), Events.instanceRegistered]])) === 0;
    const inboxBefore = await eventually(async () => ((n) => (n > 0 ? n : undefined))((await settled()) ? await count('auth.processed_event') : 0));
    await p.platform.prune();
    expect(await count(`broker.authorization_request WHERE token_id = $1`, [token.body.id])).toBe(1);
    expect(await count('auth.processed_event')).toBe(inboxBefore);

    // An hour on: the request has expired; published events are past the outbox's hour; applied ids are kept a week.
    offset = HOUR + 60_000;
    await p.platform.prune();
    expect(await count(`broker.authorization_request WHERE token_id = $1`, [token.body.id])).toBe(0);
    expect(await count('registry.outbox_event WHERE published_at IS NOT NULL')).toBe(0);
    expect(await count('auth.processed_event')).toBe(inboxBefore);

    offset = 8 * DAY;
    await p.platform.prune();
    expect(await count('auth.processed_event')).toBe(0);
    expect(await count('broker.processed_event')).toBe(0);
    offset = 0;
  });
});
