import { Events, type EventEnvelope } from '@tessera/contracts';
import { eventually, startOwnNats, type OwnNats } from '@tessera/testing';
import { randomUUID } from 'node:crypto';
import { get } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, json, startTestPlatform, type TestPlatform } from '../support/test-platform.js';

/**
 * Revocation stays enforced through a NATS restart. The platform runs on a nats-server of this test's own,
 * which the test stops and starts again (same port and store, as an operator's restart).
 */
interface Client {
  id: string;
  applicationId: string;
  appSecret: string;
}

let nats: OwnNats;
let t: TestPlatform;
let admin: string;

const claims = (token: string) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as { jti: string; exp: number; client_id: string };

async function api(method: string, path: string, body?: unknown) {
  return fetch(`${t.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${admin}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

async function accessToken(client: Client): Promise<string> {
  const response = await fetch(`${t.url}/oauth/token`, {
    method: 'POST',
    body: 'grant_type=client_credentials',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(client.applicationId, client.appSecret) },
  });
  expect(response.status).toBe(200);
  return (await json<{ access_token: string }>(response)).access_token;
}

const whoami = (token: string) => fetch(`${t.url}/api/whoami`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.status);

/** The console's Activity stream as the console reads it (Bearer header, chunks of server-sent events). */
function openActivity(): Promise<{ events: EventEnvelope[]; close(): void }> {
  return new Promise((resolve, reject) => {
    const events: EventEnvelope[] = [];
    const request = get(`${t.url}/admin/events/stream`, { headers: { authorization: `Bearer ${admin}` } }, (response) => {
      if (response.statusCode !== 200) return reject(new Error(`stream answered ${response.statusCode}`));
      let buffer = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        buffer += chunk;
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const data = buffer
            .slice(0, end)
            .split('\n')
            .find((line) => line.startsWith('data: '));
          buffer = buffer.slice(end + 2);
          if (data) events.push(JSON.parse(data.slice(6)) as EventEnvelope);
        }
      });
      response.on('error', () => undefined);
      // Closing the socket is what ends the stream at the gateway (and stops its feed).
      resolve({ events, close: () => request.destroy() });
    });
    request.on('error', () => undefined);
  });
}

beforeAll(async () => {
  nats = await startOwnNats();
  t = await startTestPlatform({ env: { NATS_URL: nats.url } });
  admin = await t.adminToken();
});
afterAll(async () => {
  if (nats) await nats.start().catch(() => undefined);
  await t?.stop();
  await nats?.destroy();
});

describe('a NATS restart', () => {
  it('does not stop revocation: tokens revoked during the outage and right after are refused within 1 s of the bus being back', async () => {
    const created = await api('POST', '/admin/integrations', { name: 'through-restart', permissions: ['*:orgs=read'] });
    const client = await json<Client>(created);
    const [duringOutage, rightAfter, untouched] = [await accessToken(client), await accessToken(client), await accessToken(client)];
    expect(await whoami(duringOutage)).toBe(200);
    const activity = await openActivity();
    await eventually(async () => (await fetch(`${t.url}/health/ready`)).status === 200);

    await nats.stop();
    const ready = await fetch(`${t.url}/health/ready`);
    expect(ready.status).toBe(503);
    expect((await json<{ error: Record<string, unknown> }>(ready)).error.feeds).toMatchObject({
      status: 'down',
      feeds: expect.arrayContaining([{ subject: Events.tokenRevoked, state: 'down' }]),
    });

    // What a revocation in flight when NATS went away leaves behind: committed with its event, the relay pending.
    const { jti, exp, client_id: clientId } = claims(duringOutage);
    const eventId = randomUUID();
    const now = new Date();
    await t.db.query(`INSERT INTO auth.revoked_access_token (jti, client_id, expires_at, revoked_at) VALUES ($1, $2, $3, $4)`, [
      jti,
      clientId,
      new Date(exp * 1000),
      now,
    ]);
    await t.db.query(`INSERT INTO auth.outbox_event (id, type, data, occurred_at) VALUES ($1, $2, $3, $4)`, [
      eventId,
      Events.tokenRevoked,
      { jti, clientId, reason: 'api', revokedAt: now.toISOString(), expiresAt: new Date(exp * 1000).toISOString() },
      now,
    ]);
    // The gateway's deny-list has not heard of it; the token still works (verification is local).
    expect(await whoami(duringOutage)).toBe(200);

    await nats.start();
    const back = Date.now();
    const refusedAt: Record<string, number> = {};
    const refused = (name: string, token: string, since: () => number) =>
      eventually(
        async () => {
          if ((await whoami(token)) !== 401) return false;
          refusedAt[name] = Date.now() - since();
          return true;
        },
        5_000,
        10,
      );
    const first = refused('duringOutage', duringOutage, () => back);
    // Right after: RFC 7009 revocation as soon as the gateway reaches auth-server again.
    let revokedAt = 0;
    await eventually(
      async () => {
        const response = await fetch(`${t.url}/oauth/revoke`, {
          method: 'POST',
          body: new URLSearchParams({ token: rightAfter }).toString(),
          headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(client.applicationId, client.appSecret) },
        });
        revokedAt = Date.now();
        return response.status === 200;
      },
      5_000,
      20,
    );
    await Promise.all([first, refused('rightAfter', rightAfter, () => revokedAt)]);
    expect(refusedAt.duringOutage, JSON.stringify(refusedAt)).toBeLessThan(1_000);
    expect(refusedAt.rightAfter, JSON.stringify(refusedAt)).toBeLessThan(1_000);
    expect(await whoami(untouched)).toBe(200);

    // Ready again means caught up: from then on the deny-list holds every revocation.
    await eventually(async () => (await fetch(`${t.url}/health/ready`)).status === 200, 5_000, 20);
    expect(await whoami(duringOutage)).toBe(401);

    // The Activity stream opened before the outage carries the revocations published after it.
    await eventually(async () => activity.events.some((e) => e.id === eventId), 2_000);
    expect(activity.events.filter((e) => e.id === eventId)).toHaveLength(1);
    activity.close();
  });
});
