import { systemClock, type Clock } from '@tessera/observability';
import { testLogger } from '@tessera/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type RunningPlatform } from '../../src/platform.js';
import { startBrokerPlatform, type BrokerPlatform } from '../support/broker-platform.js';

/**
 * What keeps grants from piling up (ADR 0016), at the gateway: the live-grants listing pages by cursor and can revoke
 * everything at once, an integration may take no refresh tokens on client_credentials, and an issuance quota holds
 * across two auth-server replicas sharing the work.
 */
let offset = 0;
const clock: Clock = { now: () => new Date(Date.now() + offset), uuid: systemClock.uuid };
let p: BrokerPlatform;
let secondAuthServer: RunningPlatform;
type Client = { id: string; applicationId: string; appSecret: string };

async function integration(body: Record<string, unknown>): Promise<Client> {
  const created = await p.http<Client>('POST', '/admin/integrations', {
    name: `g-${Math.random().toString(36).slice(2)}`,
    permissions: ['*:orgs=read'],
    ...body,
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body;
}
async function token(client: Client, params: Record<string, string> = { grant_type: 'client_credentials' }) {
  const response = await fetch(`${p.url}/oauth/token`, {
    method: 'POST',
    body: new URLSearchParams(params).toString(),
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${client.applicationId}:${client.appSecret}`).toString('base64')}`,
    },
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, string> };
}
async function introspect(client: Client, value: string): Promise<{ active: boolean }> {
  const response = await fetch(`${p.url}/oauth/introspect`, {
    method: 'POST',
    body: new URLSearchParams({ token: value }).toString(),
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${client.applicationId}:${client.appSecret}`).toString('base64')}`,
    },
  });
  return (await response.json()) as { active: boolean };
}

beforeAll(async () => {
  p = await startBrokerPlatform({ clock });
  // A second auth-server on the same database and bus: token requests are shared between the two replicas.
  secondAuthServer = await startPlatform(p.config, { logger: testLogger(), clock, services: ['auth-server'] });
});
afterAll(async () => {
  await secondAuthServer?.stop();
  await p?.stop();
});

describe('the live-grants listing', () => {
  it('pages through every live grant by cursor, newest first, each exactly once', async () => {
    const client = await integration({});
    const issued = await Promise.all(Array.from({ length: 25 }, () => token(client)));
    expect(issued.every((r) => r.status === 200)).toBe(true);
    const seen: { id: string; createdAt: string }[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: { status: number; body: { items: { id: string; createdAt: string }[]; nextCursor: string | null } } = await p.http(
        'GET',
        `/admin/integrations/${client.id}/tokens?limit=10${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.status).toBe(200);
      seen.push(...page.body.items);
      cursor = page.body.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(new Set(seen.map((f) => f.id)).size).toBe(25);
    expect(seen.map((f) => f.createdAt)).toEqual([...seen.map((f) => f.createdAt)].sort().reverse());
    expect((await p.http('GET', `/admin/integrations/${client.id}/tokens?limit=0`)).status).toBe(400);
    expect((await p.http('GET', `/admin/integrations/${client.id}/tokens?cursor=not*a*cursor`)).status).toBe(400);
    expect((await p.http('GET', `/admin/integrations/${client.id}/tokens?cursor=${Buffer.from('garbage').toString('base64url')}`)).status).toBe(400);
  });

  it('"revoke all" ends every grant and every access token of the integration, and no other integration\'s', async () => {
    const client = await integration({});
    const other = await integration({});
    const mine = await Promise.all([token(client), token(client)]);
    const theirs = await token(other);
    expect((await p.http('DELETE', `/admin/integrations/${client.id}/tokens`)).status).toBe(204);
    expect((await p.http<{ items: unknown[] }>('GET', `/admin/integrations/${client.id}/tokens`)).body.items).toEqual([]);
    for (const issued of mine) {
      expect(await introspect(client, issued.body.access_token)).toEqual({ active: false });
      expect((await token(client, { grant_type: 'refresh_token', refresh_token: issued.body.refresh_token })).status).toBe(400);
    }
    expect((await introspect(other, theirs.body.access_token)).active).toBe(true);
    expect((await p.http('DELETE', '/admin/integrations/6f9619ff-8b86-4d11-b42d-00c04fc964ff/tokens')).status).toBe(404);
    // The integration itself goes on: a token issued after it works. (A token's iat has whole seconds, so one issued in
    // the same second as the revocation counts as issued before it: revoked, on the safe side.)
    await new Promise((resolve) => setTimeout(resolve, 1010 - (Date.now() % 1000)));
    expect((await introspect(client, (await token(client)).body.access_token)).active).toBe(true);
  });
});

describe('no refresh tokens on client_credentials', () => {
  it('answers without a refresh token and stores no grant; revoke all still ends its access tokens', async () => {
    const client = await integration({ refreshTokensOnClientCredentials: false });
    expect((await p.http<{ refreshTokensOnClientCredentials: boolean }>('GET', `/admin/integrations/${client.id}`)).body.refreshTokensOnClientCredentials).toBe(
      false,
    );
    const issued = await Promise.all(Array.from({ length: 5 }, () => token(client)));
    for (const r of issued) {
      expect(r.status).toBe(200);
      expect(r.body.refresh_token).toBeUndefined();
    }
    expect(
      Number((await p.database.query<{ n: string }>('SELECT count(*) AS n FROM auth.refresh_token_family WHERE integration_id = $1', [client.id]))[0].n),
    ).toBe(0);
    expect((await introspect(client, issued[0].body.access_token)).active).toBe(true);
    expect((await p.http('DELETE', `/admin/integrations/${client.id}/tokens`)).status).toBe(204);
    expect(await introspect(client, issued[0].body.access_token)).toEqual({ active: false });
  });

  it("is P6's behaviour by default: a refresh token with every client_credentials token", async () => {
    const client = await integration({});
    expect((await p.http<{ refreshTokensOnClientCredentials: boolean }>('GET', `/admin/integrations/${client.id}`)).body.refreshTokensOnClientCredentials).toBe(
      true,
    );
    expect((await token(client)).body.refresh_token).toMatch(/.{40,}/);
  });
});

describe('issuance quota', () => {
  it('lets exactly the quota through per hour across two replicas, then 429 with Retry-After and an RFC 6749 body', async () => {
    const client = await integration({ clientCredentialsTokensPerHour: 10 });
    const answers = await Promise.all(Array.from({ length: 30 }, () => token(client)));
    expect(answers.filter((a) => a.status === 200)).toHaveLength(10);
    const refused = answers.filter((a) => a.status !== 200);
    expect(refused).toHaveLength(20);
    for (const a of refused) {
      expect(a.status).toBe(429);
      expect(Number(a.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(Number(a.headers.get('retry-after'))).toBeLessThanOrEqual(3600);
      expect(a.body.error).toBe('temporarily_unavailable');
      expect(a.body.error_description).toMatch(/10 tokens per hour/);
      expect(a.headers.get('cache-control')).toBe('no-store');
    }
    // The next hour brings a new allowance.
    offset = 3_600_000;
    expect((await token(client)).status).toBe(200);
    offset = 0;
  });

  it('can be lifted (null), and refuses nonsense', async () => {
    const client = await integration({ clientCredentialsTokensPerHour: 1 });
    expect((await token(client)).status).toBe(200);
    expect((await token(client)).status).toBe(429);
    expect((await p.http('PATCH', `/admin/integrations/${client.id}`, { clientCredentialsTokensPerHour: 0 })).status).toBe(400);
    expect((await p.http('PATCH', `/admin/integrations/${client.id}`, { clientCredentialsTokensPerHour: 'many' })).status).toBe(400);
    const lifted = await p.http<{ clientCredentialsTokensPerHour: number | null }>('PATCH', `/admin/integrations/${client.id}`, {
      clientCredentialsTokensPerHour: null,
    });
    expect(lifted.body.clientCredentialsTokensPerHour).toBeNull();
    // auth-server's cached client record is evicted by the integration event: the change is in force within moments.
    await expect.poll(async () => (await token(client)).status, { timeout: 5000 }).toBe(200);
  });
});
