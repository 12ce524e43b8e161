import { eventually } from '@tessera/testing';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, integrationWithToken } from '../support/admin-api.js';
import { json, sharedPlatform, type SharedPlatform } from '../support/shared-platform.js';

/**
 * `min_verification_interval` (SSF 1.0 §8.1.1, §8.1.4.2) as an outside receiver meets it: the stream's configuration
 * says how long to wait, a verification request sooner answers 429 with Retry-After and queues nothing, and the
 * interval is counted per stream.
 */
const VERIFICATION = 'https://schemas.openid.net/secevent/ssf/event-type/verification';
const PREFIX = `ssf-verify-${Date.now()}`;

let t: SharedPlatform;
let receiverToken: string;
let receiverId: string;

beforeAll(async () => {
  t = await sharedPlatform();
  const admin = await t.adminToken();
  ({ applicationId: receiverId, accessToken: receiverToken } = await integrationWithToken(t.url, admin, `${PREFIX}-receiver`, ['*:ssf=receive']));
});
afterAll(() => t?.stop());

async function pollStream(): Promise<{ stream_id: string; min_verification_interval: number }> {
  const response = await api(t.url, receiverToken, 'POST', '/ssf/streams', { delivery: { method: 'urn:ietf:rfc:8936' } });
  expect(response.status).toBe(201);
  return json(response);
}

describe('SSF verification requests', () => {
  it('advertises min_verification_interval and answers 429 with Retry-After to a request sooner, queueing nothing for it', async () => {
    const stream = await pollStream();
    expect(stream.min_verification_interval).toBe(t.config.ssf.minVerificationIntervalSeconds);
    expect(stream.min_verification_interval).toBeGreaterThan(0);

    expect((await api(t.url, receiverToken, 'POST', '/ssf/verify', { stream_id: stream.stream_id, state: 'first' })).status).toBe(204);
    const again = await api(t.url, receiverToken, 'POST', '/ssf/verify', { stream_id: stream.stream_id, state: 'second' });
    expect(again.status).toBe(429);
    const retryAfter = Number(again.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(stream.min_verification_interval);
    expect(await json(again)).toMatchObject({ statusCode: 429, error: 'rate_limited' });

    // Only the first request made a verification event: the receiver gets one SET, with the first state.
    const jwks = createRemoteJWKSet(new URL(`${t.url}/oauth/jwks`));
    // Unacknowledged SETs come back on every poll: each is counted once, by jti.
    const states = new Map<string, unknown>();
    await eventually(async () => {
      const polled = await api(t.url, receiverToken, 'POST', `/ssf/poll/${stream.stream_id}`, { returnImmediately: true });
      const { sets } = await json<{ sets: Record<string, string> }>(polled);
      for (const [jti, set] of Object.entries(sets)) {
        const { payload } = await jwtVerify(set, jwks, { issuer: t.config.issuer, audience: receiverId, typ: 'secevent+jwt' });
        const events = payload.events as Record<string, { state?: string }>;
        if (events[VERIFICATION]) states.set(jti, events[VERIFICATION].state);
      }
      return [...states.values()].includes('first');
    });
    expect([...states.values()]).toEqual(['first']);
  });

  it("counts the interval per stream: another stream of the same receiver verifies at once; another receiver's stream is 404", async () => {
    const [one, two] = [await pollStream(), await pollStream()];
    expect((await api(t.url, receiverToken, 'POST', '/ssf/verify', { stream_id: one.stream_id })).status).toBe(204);
    expect((await api(t.url, receiverToken, 'POST', '/ssf/verify', { stream_id: two.stream_id })).status).toBe(204);
    expect((await api(t.url, receiverToken, 'POST', '/ssf/verify', { stream_id: one.stream_id })).status).toBe(429);
    expect((await api(t.url, receiverToken, 'POST', '/ssf/verify', { stream_id: crypto.randomUUID() })).status).toBe(404);
  });
});
