import { eventually, testLogger } from '@tessera/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type RunningPlatform } from '../../src/platform.js';
import { basic, json, startTestPlatform, type TestPlatform } from '../support/test-platform.js';

/**
 * An integration change is in force when the admin call answers, at every auth-server replica. Two
 * auth-server replicas (the platform's and a second one) on one database and bus; the gateway's requests are spread
 * between them by the bus's queue group, so a burst of requests reaches both.
 */
interface Client {
  id: string;
  applicationId: string;
  appSecret: string;
}

let t: TestPlatform;
let replica: RunningPlatform;
let admin: string;
const ROUNDS = 10; // of each kind: 20 rounds in all
const BURST = 8;

async function api(method: string, path: string, body?: unknown) {
  return fetch(`${t.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${admin}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

function clientCredentials(applicationId: string, secret: string) {
  return fetch(`${t.url}/oauth/token`, {
    method: 'POST',
    body: 'grant_type=client_credentials',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(applicationId, secret) },
  });
}

/** Many token requests at once, so both replicas answer some; returns every status. */
async function burst(applicationId: string, secret: string, size = BURST): Promise<number[]> {
  const responses = await Promise.all(Array.from({ length: size }, () => clientCredentials(applicationId, secret)));
  await Promise.all(responses.map((r) => r.arrayBuffer()));
  return responses.map((r) => r.status);
}

async function accessToken(applicationId: string, secret: string): Promise<string> {
  const response = await clientCredentials(applicationId, secret);
  expect(response.status).toBe(200);
  return (await json<{ access_token: string }>(response)).access_token;
}

const whoami = (token: string) => fetch(`${t.url}/api/whoami`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.status);

beforeAll(async () => {
  t = await startTestPlatform();
  replica = await startPlatform(t.config, { logger: testLogger(), services: ['auth-server'] });
  admin = await t.adminToken();
});
afterAll(async () => {
  await replica?.stop();
  await t?.stop();
});

describe('integration changes with two auth-server replicas', () => {
  it('a disable is in force at every replica when PATCH answers, and earlier tokens are refused by the verifier', async () => {
    const client = await json<Client>(await api('POST', '/admin/integrations', { name: 'disable-rounds', permissions: ['*:orgs=read'] }));
    for (let round = 0; round < ROUNDS; round++) {
      // Both replicas hold the enabled record in their caches.
      expect(await burst(client.applicationId, client.appSecret)).toEqual(Array(BURST).fill(200));
      const before = await accessToken(client.applicationId, client.appSecret);
      expect((await api('PATCH', `/admin/integrations/${client.id}`, { enabled: false })).status).toBe(200);
      expect(await burst(client.applicationId, client.appSecret), `round ${round}`).not.toContain(200);
      await eventually(async () => (await whoami(before)) === 401, 1_000, 10);
      expect((await api('PATCH', `/admin/integrations/${client.id}`, { enabled: true })).status).toBe(200);
      // Re-enabled is in force at once too (no replica refuses under the disabled record).
      expect(await burst(client.applicationId, client.appSecret), `round ${round}`).toEqual(Array(BURST).fill(200));
    }
  });

  it('a secret rotated without grace stops working at every replica when the rotation answers; its tokens are refused', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      // One integration per round: failed authentications are rate limited per client (10 a minute).
      const created = await json<Client>(await api('POST', '/admin/integrations', { name: `rotate-round-${round}`, permissions: ['*:orgs=read'] }));
      expect(await burst(created.applicationId, created.appSecret)).toEqual(Array(BURST).fill(200));
      const before = await accessToken(created.applicationId, created.appSecret);
      const rotated = await api('POST', `/admin/integrations/${created.id}/secret`, { graceSeconds: 0 });
      expect(rotated.status).toBe(200);
      const secret = (await json<Client>(rotated)).appSecret;
      const withOld = await burst(created.applicationId, created.appSecret, 4);
      expect(withOld, `round ${round}`).toEqual(Array(4).fill(401));
      expect(await burst(created.applicationId, secret), `round ${round}`).toEqual(Array(BURST).fill(200));
      await eventually(async () => (await whoami(before)) === 401, 1_000, 10);
      expect(await whoami(await accessToken(created.applicationId, secret))).toBe(200);
    }
  });
});
