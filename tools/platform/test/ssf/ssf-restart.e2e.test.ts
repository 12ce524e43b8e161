import { eventually, testLogger } from '@tessera/testing';
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startPlatform, type RunningPlatform } from '../../src/platform.js';
import { api } from '../support/admin-api.js';
import { basic, json, startTestPlatform, type TestPlatform } from '../support/test-platform.js';

/**
 * The transmitter's state is in auth-server's tables (ADR 0049): a stream, its subjects and a SET not yet acknowledged
 * outlive a restart of auth-server, and the SET is handed out again with the same jti.
 */
const SESSION_REVOKED = 'https://schemas.openid.net/secevent/caep/event-type/session-revoked';

let t: TestPlatform;
let auth: RunningPlatform | undefined;
const startAuth = () => startPlatform(t.config, { logger: testLogger(), services: ['auth-server'] });

beforeAll(async () => {
  t = await startTestPlatform({ services: ['gateway', 'integrations-registry', 'outbound-token-broker'] });
  auth = await startAuth();
});
afterAll(async () => {
  await auth?.stop();
  await t?.stop();
});

async function integration(admin: string, name: string, permissions: string[]) {
  const response = await api(t.url, admin, 'POST', '/admin/integrations', { name, permissions });
  expect(response.status).toBe(201);
  const created = await json<{ id: string; applicationId: string; appSecret: string }>(response);
  const token = await fetch(`${t.url}/oauth/token`, {
    method: 'POST',
    body: 'grant_type=client_credentials',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(created.applicationId, created.appSecret) },
  });
  return { ...created, accessToken: (await json<{ access_token: string }>(token)).access_token };
}

const poll = async (token: string, streamId: string) =>
  (await json<{ sets: Record<string, string> }>(await api(t.url, token, 'POST', `/ssf/poll/${streamId}`, { returnImmediately: true }))).sets;

it('a stream and an unacknowledged SET survive a restart of auth-server', async () => {
  const admin = await t.adminToken();
  const receiver = await integration(admin, 'ssf-restart-receiver', ['*:ssf=receive']);
  const target = await integration(admin, 'ssf-restart-target', ['*:orgs=read']);
  const stream = await json<{ stream_id: string }>(
    await api(t.url, receiver.accessToken, 'POST', '/ssf/streams', { delivery: { method: 'urn:ietf:rfc:8936' }, events_requested: [SESSION_REVOKED] }),
  );
  await api(t.url, receiver.accessToken, 'POST', '/ssf/subjects/add', { stream_id: stream.stream_id, subject: { format: 'opaque', id: target.applicationId } });
  const familyId = decodeJwt(target.accessToken).fid as string;
  expect((await api(t.url, admin, 'DELETE', `/admin/integrations/${target.id}/tokens/${familyId}`)).status).toBe(204);
  const before = await eventually(async () => {
    const sets = await poll(receiver.accessToken, stream.stream_id);
    return Object.keys(sets).length === 1 ? sets : undefined;
  }, 10_000);

  await auth!.stop();
  auth = undefined;
  auth = await startAuth();

  const after = await eventually(async () => {
    const sets = await poll(receiver.accessToken, stream.stream_id).catch(() => ({}));
    return Object.keys(sets).length ? sets : undefined;
  }, 10_000);
  expect(Object.keys(after)).toEqual(Object.keys(before));
  const [set] = Object.values(after as Record<string, string>);
  const { payload } = await jwtVerify(set, createRemoteJWKSet(new URL(`${t.url}/oauth/jwks`)), {
    issuer: t.config.issuer,
    audience: receiver.applicationId,
    typ: 'secevent+jwt',
  });
  expect(payload.sub_id).toMatchObject({ format: 'complex', session: { format: 'opaque', id: familyId } });
});
