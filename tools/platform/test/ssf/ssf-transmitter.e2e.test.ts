import { eventually, scrapeMetrics } from '@tessera/testing';
import { createRemoteJWKSet, decodeJwt, jwtVerify, type JWTPayload } from 'jose';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '../support/admin-api.js';
import { basic, json, startTestPlatform, type TestPlatform } from '../support/test-platform.js';

/**
 * The Shared Signals transmitter (OpenID SSF 1.0, CAEP 1.0; ADR 0049) as a receiver sees it: an integration holding
 * `*:ssf=receive` creates streams at the gateway, adds subjects, and gets Security Event Tokens — polled (RFC 8936)
 * or pushed (RFC 8935, through the egress policy) — when an administrator revokes, rotates or narrows. Each SET is
 * verified with jose against the transmitter's JWKS.
 */
const SESSION_REVOKED = 'https://schemas.openid.net/secevent/caep/event-type/session-revoked';
const CREDENTIAL_CHANGE = 'https://schemas.openid.net/secevent/caep/event-type/credential-change';
const TOKEN_CLAIMS_CHANGE = 'https://schemas.openid.net/secevent/caep/event-type/token-claims-change';
const VERIFICATION = 'https://schemas.openid.net/secevent/ssf/event-type/verification';
const CAEP = [SESSION_REVOKED, CREDENTIAL_CHANGE, TOKEN_CLAIMS_CHANGE];
const METRICS_TOKEN = 'ssf-scrape-token-0123456789';

interface Integration {
  id: string;
  applicationId: string;
  appSecret: string;
}
interface Stream {
  stream_id: string;
  iss: string;
  aud: string;
  events_delivered: string[];
  delivery: { method: string; endpoint_url: string; authorization_header?: string };
}
interface SetClaims extends JWTPayload {
  sub_id: Record<string, unknown>;
  events: Record<string, Record<string, unknown>>;
}

let t: TestPlatform;
let admin: string;
let jwks: ReturnType<typeof createRemoteJWKSet>;
let pushServer: Server;
const pushed: { headers: IncomingMessage['headers']; body: string }[] = [];
/** The push receiver answers these statuses first, then 202 (RFC 8935 §2.2). */
const pushAnswers: number[] = [];

async function integration(name: string, permissions: string[]): Promise<Integration> {
  const response = await api(t.url, admin, 'POST', '/admin/integrations', { name, permissions });
  expect(response.status).toBe(201);
  return json<Integration>(response);
}

async function tokenOf(client: Integration, secret = client.appSecret): Promise<{ access_token: string; refresh_token?: string }> {
  const response = await fetch(`${t.url}/oauth/token`, {
    method: 'POST',
    body: 'grant_type=client_credentials',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(client.applicationId, secret) },
  });
  expect(response.status).toBe(200);
  return json(response);
}

/** A SET verified as a receiver would: signature against the JWKS, typ, issuer and audience. */
async function verifySet(set: string, audience: string): Promise<SetClaims> {
  const { payload, protectedHeader } = await jwtVerify(set, jwks, { issuer: t.config.issuer, audience, typ: 'secevent+jwt', algorithms: ['ES256'] });
  expect(protectedHeader.typ).toBe('secevent+jwt');
  expect(typeof payload.jti).toBe('string');
  expect(typeof payload.iat).toBe('number');
  expect(payload.exp).toBeUndefined();
  return payload as SetClaims;
}

/** Polls (acknowledging nothing) until the SETs satisfy `done`; returns them by jti, verified. */
async function pollUntil(token: string, stream: Stream, done: (sets: SetClaims[]) => boolean): Promise<Map<string, SetClaims>> {
  const seen = new Map<string, SetClaims>();
  await eventually(
    async () => {
      const response = await api(t.url, token, 'POST', `/ssf/poll/${stream.stream_id}`, { returnImmediately: true });
      expect(response.status).toBe(200);
      const { sets } = await json<{ sets: Record<string, string>; moreAvailable: boolean }>(response);
      for (const [jti, set] of Object.entries(sets)) {
        const claims = await verifySet(set, stream.aud);
        expect(claims.jti).toBe(jti);
        seen.set(jti, claims);
      }
      return done([...seen.values()]);
    },
    10_000,
    200,
  );
  return seen;
}

const ofType = (sets: SetClaims[], type: string) => sets.filter((s) => s.events[type] !== undefined);

beforeAll(async () => {
  pushServer = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      pushed.push({ headers: request.headers, body });
      response.statusCode = pushAnswers.shift() ?? 202;
      response.end();
    });
  });
  await new Promise<void>((resolve) => pushServer.listen(0, '127.0.0.1', resolve));
  // The push receiver is on loopback: the egress policy must be told (ADR 0015).
  // Verification requests here come back to back: the interval has a test of its own (ssf-verification.e2e.test.ts).
  t = await startTestPlatform({
    env: {
      TESSERA_EGRESS_ALLOW: `127.0.0.1:${(pushServer.address() as AddressInfo).port}`,
      TESSERA_SSF_MIN_VERIFICATION_INTERVAL_SECONDS: '0',
      METRICS_PORT: '0',
      TESSERA_METRICS_TOKEN: METRICS_TOKEN,
    },
  });
  admin = await t.adminToken();
  jwks = createRemoteJWKSet(new URL(`${t.url}/oauth/jwks`));
});
afterAll(async () => {
  await t?.stop();
  await new Promise((resolve) => pushServer?.close(resolve));
});

describe('Shared Signals transmitter', () => {
  let receiver: Integration;
  let receiverToken: string;
  let stream: Stream;

  it('publishes its configuration metadata at /.well-known/ssf-configuration', async () => {
    const response = await fetch(`${t.url}/.well-known/ssf-configuration`);
    expect(response.status).toBe(200);
    const metadata = await json(response);
    expect(metadata).toMatchObject({
      spec_version: '1_0',
      issuer: t.config.issuer,
      jwks_uri: `${t.config.issuer}/oauth/jwks`,
      delivery_methods_supported: ['urn:ietf:rfc:8935', 'urn:ietf:rfc:8936'],
      configuration_endpoint: `${t.config.issuer}/ssf/streams`,
      status_endpoint: `${t.config.issuer}/ssf/status`,
      add_subject_endpoint: `${t.config.issuer}/ssf/subjects/add`,
      remove_subject_endpoint: `${t.config.issuer}/ssf/subjects/remove`,
      verification_endpoint: `${t.config.issuer}/ssf/verify`,
    });
  });

  it('lets only integrations holding *:ssf=receive manage streams', async () => {
    const other = await integration('not-a-receiver', ['*:orgs=read']);
    const { access_token } = await tokenOf(other);
    expect((await api(t.url, access_token, 'POST', '/ssf/streams', { delivery: { method: 'urn:ietf:rfc:8936' } })).status).toBe(403);
    expect((await api(t.url, undefined, 'GET', '/ssf/streams')).status).toBe(401);
    // An administrator's session covers every permission by its role, but is no receiver.
    expect((await api(t.url, admin, 'GET', '/ssf/streams')).status).toBe(403);
  });

  it('creates a poll stream, and a verification event arrives signed as a SET', async () => {
    receiver = await integration('ssf-receiver', ['*:ssf=receive']);
    receiverToken = (await tokenOf(receiver)).access_token;
    const created = await api(t.url, receiverToken, 'POST', '/ssf/streams', {
      delivery: { method: 'urn:ietf:rfc:8936' },
      events_requested: CAEP,
      description: 'poller',
    });
    expect(created.status).toBe(201);
    stream = await json<Stream>(created);
    expect(stream).toMatchObject({ iss: t.config.issuer, aud: receiver.applicationId, events_delivered: CAEP });
    expect(stream.delivery).toEqual({ method: 'urn:ietf:rfc:8936', endpoint_url: `${t.config.issuer}/ssf/poll/${stream.stream_id}` });

    const read = await api(t.url, receiverToken, 'GET', `/ssf/streams?stream_id=${stream.stream_id}`);
    expect(await json(read)).toEqual(stream);
    expect(await json(await api(t.url, receiverToken, 'GET', '/ssf/streams'))).toEqual([stream]);
    expect(await json(await api(t.url, receiverToken, 'GET', `/ssf/status?stream_id=${stream.stream_id}`))).toEqual({
      stream_id: stream.stream_id,
      status: 'enabled',
    });

    expect((await api(t.url, receiverToken, 'POST', '/ssf/verify', { stream_id: stream.stream_id, state: 'state-1' })).status).toBe(204);
    const sets = await pollUntil(receiverToken, stream, (s) => ofType(s, VERIFICATION).length === 1);
    const [jti, verification] = [...sets.entries()][0];
    expect(verification.events[VERIFICATION]).toEqual({ state: 'state-1' });
    expect(verification.sub_id).toEqual({ format: 'opaque', id: stream.stream_id });

    // Acknowledged, it is gone.
    const acked = await api(t.url, receiverToken, 'POST', `/ssf/poll/${stream.stream_id}`, { ack: [jti], returnImmediately: true });
    expect(await json(acked)).toEqual({ sets: {}, moreAvailable: false });
  });

  it('sends session-revoked, credential-change and token-claims-change about a subject the receiver added', async () => {
    const target = await integration('ssf-target', ['*:orgs=read', '*:users=read']);
    const added = await api(t.url, receiverToken, 'POST', '/ssf/subjects/add', {
      stream_id: stream.stream_id,
      subject: { format: 'opaque', id: target.applicationId },
    });
    expect(added.status).toBe(200);

    // A grant revoked by an administrator; one access token revoked by its client (RFC 7009).
    const grant = await tokenOf(target);
    const familyId = decodeJwt(grant.access_token).fid as string;
    expect((await api(t.url, admin, 'DELETE', `/admin/integrations/${target.id}/tokens/${familyId}`)).status).toBe(204);
    const single = await tokenOf(target);
    const jti = decodeJwt(single.access_token).jti as string;
    const revoked = await fetch(`${t.url}/oauth/revoke`, {
      method: 'POST',
      body: `token=${single.access_token}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(target.applicationId, target.appSecret) },
    });
    expect(revoked.status).toBe(200);
    // Its secret rotated, then a permission taken away.
    expect((await api(t.url, admin, 'POST', `/admin/integrations/${target.id}/secret`, { graceSeconds: 60 })).status).toBe(200);
    expect((await api(t.url, admin, 'PATCH', `/admin/integrations/${target.id}`, { permissions: ['*:orgs=read'] })).status).toBe(200);

    const sets = [
      ...(
        await pollUntil(
          receiverToken,
          stream,
          (s) => ofType(s, SESSION_REVOKED).length >= 3 && ofType(s, CREDENTIAL_CHANGE).length === 1 && ofType(s, TOKEN_CLAIMS_CHANGE).length === 1,
        )
      ).values(),
    ];
    const sessions = ofType(sets, SESSION_REVOKED);
    const byFamily = sessions.find((s) => s.sub_id.format === 'complex')!;
    expect(byFamily.sub_id).toEqual({
      format: 'complex',
      application: { format: 'opaque', id: target.applicationId },
      session: { format: 'opaque', id: familyId },
    });
    expect(byFamily.events[SESSION_REVOKED]).toMatchObject({ initiating_entity: 'admin', reason_admin: { en: expect.any(String) } });
    expect(typeof byFamily.events[SESSION_REVOKED].event_timestamp).toBe('number');
    const byToken = sessions.find((s) => s.sub_id.format === 'jwt_id')!;
    expect(byToken.sub_id).toEqual({ format: 'jwt_id', iss: t.config.issuer, jti });
    // Narrowing revokes every token of the client too: a session-revoked about the client as a whole.
    expect(sessions.some((s) => s.sub_id.format === 'opaque' && s.sub_id.id === target.applicationId)).toBe(true);

    const [credential] = ofType(sets, CREDENTIAL_CHANGE);
    expect(credential.sub_id).toEqual({ format: 'opaque', id: target.applicationId });
    expect(credential.events[CREDENTIAL_CHANGE]).toMatchObject({ credential_type: 'password', change_type: 'update', initiating_entity: 'admin' });
    const [claims] = ofType(sets, TOKEN_CLAIMS_CHANGE);
    expect(claims.events[TOKEN_CLAIMS_CHANGE]).toMatchObject({ claims: { scope: '*:orgs=read' }, initiating_entity: 'admin' });

    // Nothing about integrations the receiver did not ask for; all acknowledged, nothing waits.
    expect(sets.filter((s) => s !== byToken).every((s) => JSON.stringify(s.sub_id).includes(target.applicationId))).toBe(true);
    const acked = await api(t.url, receiverToken, 'POST', `/ssf/poll/${stream.stream_id}`, { ack: sets.map((s) => s.jti), returnImmediately: true });
    expect(await json(acked)).toEqual({ sets: {}, moreAvailable: false });
  });

  it('sends session-revoked when an administrator signs out (the admin session is a grant of tessera-admin)', async () => {
    await api(t.url, receiverToken, 'POST', '/ssf/subjects/add', { stream_id: stream.stream_id, subject: { format: 'opaque', id: 'tessera-admin' } });
    const session = await t.adminToken();
    const sessionId = decodeJwt(session).fid;
    expect((await api(t.url, session, 'POST', '/admin/logout')).status).toBe(204);
    const sets = await pollUntil(receiverToken, stream, (s) => s.some((set) => JSON.stringify(set.sub_id).includes(String(sessionId))));
    const set = [...sets.values()].find((s) => JSON.stringify(s.sub_id).includes(String(sessionId)))!;
    expect(set.sub_id).toEqual({ format: 'complex', application: { format: 'opaque', id: 'tessera-admin' }, session: { format: 'opaque', id: sessionId } });
    expect(set.events[SESSION_REVOKED]).toMatchObject({ initiating_entity: 'user', reason_admin: { en: 'The administrator signed out' } });
    await api(t.url, receiverToken, 'POST', '/ssf/subjects/remove', { stream_id: stream.stream_id, subject: { format: 'opaque', id: 'tessera-admin' } });
    await api(t.url, receiverToken, 'POST', `/ssf/poll/${stream.stream_id}`, { ack: [...sets.keys()], maxEvents: 0 });
  });

  it('refuses a push endpoint the egress policy would refuse', async () => {
    const refused = await api(t.url, receiverToken, 'POST', '/ssf/streams', {
      delivery: { method: 'urn:ietf:rfc:8935', endpoint_url: 'http://127.0.0.1:1/events' },
    });
    expect(refused.status).toBe(400);
    expect((await json<{ fields: Record<string, string> }>(refused)).fields['delivery.endpoint_url']).toContain('TESSERA_EGRESS_ALLOW');
  });

  it('pushes SETs to a receiver endpoint through the egress policy, retrying until it accepts', async () => {
    const port = (pushServer.address() as AddressInfo).port;
    const created = await api(t.url, receiverToken, 'POST', '/ssf/streams', {
      delivery: { method: 'urn:ietf:rfc:8935', endpoint_url: `http://127.0.0.1:${port}/events`, authorization_header: 'Bearer push-secret' },
      events_requested: [SESSION_REVOKED],
    });
    expect(created.status).toBe(201);
    const push = await json<Stream>(created);
    expect(push.delivery).toEqual({ method: 'urn:ietf:rfc:8935', endpoint_url: `http://127.0.0.1:${port}/events` });
    const target = await integration('ssf-push-target', ['*:orgs=read']);
    await api(t.url, receiverToken, 'POST', '/ssf/subjects/add', { stream_id: push.stream_id, subject: { format: 'opaque', id: target.applicationId } });

    pushAnswers.push(503);
    const grant = await tokenOf(target);
    const familyId = decodeJwt(grant.access_token).fid as string;
    expect((await api(t.url, admin, 'DELETE', `/admin/integrations/${target.id}/tokens/${familyId}`)).status).toBe(204);

    // Refused once (503), then sent again: the same SET (its jti and claims; ES256 signatures differ each time), accepted.
    await eventually(async () => pushed.length >= 2, 10_000, 100);
    const [first, second] = pushed;
    expect(decodeJwt(second.body)).toEqual(decodeJwt(first.body));
    expect(second.headers['content-type']).toBe('application/secevent+jwt');
    expect(second.headers.authorization).toBe('Bearer push-secret');
    const set = await verifySet(second.body, receiver.applicationId);
    expect(set.events[SESSION_REVOKED]).toBeDefined();
    expect(set.sub_id).toMatchObject({ format: 'complex', session: { format: 'opaque', id: familyId } });
    // Accepted: not sent a third time (a fixed wait, proving that nothing more comes).
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(pushed).toHaveLength(2);
  });

  it('counts SETs queued by event type, delivered by method with how long they waited, and failed pushes', async () => {
    const metrics = await scrapeMetrics(t.platform.metricsUrl!, METRICS_TOKEN);
    expect(metrics.value('tessera_ssf_sets_queued_total', { event_type: VERIFICATION })).toBeGreaterThanOrEqual(1);
    expect(metrics.value('tessera_ssf_sets_queued_total', { event_type: SESSION_REVOKED })).toBeGreaterThanOrEqual(1);
    // The verification SET acknowledged by a poll, and the pushed one accepted after its 503.
    expect(metrics.value('tessera_ssf_sets_delivered_total', { method: 'poll' })).toBeGreaterThanOrEqual(1);
    expect(metrics.value('tessera_ssf_sets_delivered_total', { method: 'push' })).toBeGreaterThanOrEqual(1);
    expect(metrics.value('tessera_ssf_push_failures_total')).toBeGreaterThanOrEqual(1);
    for (const method of ['poll', 'push'])
      expect(metrics.count('tessera_ssf_delivery_lag_seconds', { method })).toBe(metrics.value('tessera_ssf_sets_delivered_total', { method }));
  });

  it("keeps each receiver to its own streams: another's answers 404", async () => {
    const intruder = await integration('ssf-intruder', ['*:ssf=receive']);
    const token = (await tokenOf(intruder)).access_token;
    const id = stream.stream_id;
    expect(await json(await api(t.url, token, 'GET', '/ssf/streams'))).toEqual([]);
    expect((await api(t.url, token, 'GET', `/ssf/streams?stream_id=${id}`)).status).toBe(404);
    expect((await api(t.url, token, 'GET', `/ssf/status?stream_id=${id}`)).status).toBe(404);
    expect((await api(t.url, token, 'POST', `/ssf/poll/${id}`, { returnImmediately: true })).status).toBe(404);
    expect((await api(t.url, token, 'POST', '/ssf/subjects/add', { stream_id: id, subject: { format: 'opaque', id: 'x' } })).status).toBe(404);
    expect((await api(t.url, token, 'PATCH', '/ssf/streams', { stream_id: id, description: 'mine now' })).status).toBe(404);
    expect((await api(t.url, token, 'DELETE', `/ssf/streams?stream_id=${id}`)).status).toBe(404);
    // The owner's stream is untouched.
    expect((await api(t.url, receiverToken, 'GET', `/ssf/streams?stream_id=${id}`)).status).toBe(200);
  });

  it('updates, pauses and deletes a stream', async () => {
    const id = stream.stream_id;
    const patched = await api(t.url, receiverToken, 'PATCH', '/ssf/streams', {
      stream_id: id,
      description: 'renamed',
      events_requested: [SESSION_REVOKED, 'urn:example:unknown'],
    });
    expect(patched.status).toBe(200);
    expect(await json(patched)).toMatchObject({
      description: 'renamed',
      events_requested: [SESSION_REVOKED, 'urn:example:unknown'],
      events_delivered: [SESSION_REVOKED],
    });
    const paused = await api(t.url, receiverToken, 'POST', '/ssf/status', { stream_id: id, status: 'paused', reason: 'maintenance' });
    expect(await json(paused)).toEqual({ stream_id: id, status: 'paused', reason: 'maintenance' });
    // Paused: SETs are held, none handed out.
    expect((await api(t.url, receiverToken, 'POST', '/ssf/verify', { stream_id: id })).status).toBe(204);
    expect(await json(await api(t.url, receiverToken, 'POST', `/ssf/poll/${id}`, { returnImmediately: true }))).toEqual({ sets: {}, moreAvailable: false });
    await api(t.url, receiverToken, 'POST', '/ssf/status', { stream_id: id, status: 'enabled' });
    const held = await pollUntil(receiverToken, stream, (s) => ofType(s, VERIFICATION).length === 1);
    expect(held.size).toBeGreaterThanOrEqual(1);

    const email = await api(t.url, receiverToken, 'POST', '/ssf/subjects/add', { stream_id: id, subject: { format: 'email', email: 'a@b' } });
    expect(email.status).toBe(400);
    expect((await json<{ fields: Record<string, string> }>(email)).fields).toEqual({ 'subject.format': 'must be opaque, jwt_id or complex' });
    expect((await api(t.url, receiverToken, 'DELETE', `/ssf/streams?stream_id=${id}`)).status).toBe(204);
    expect((await api(t.url, receiverToken, 'GET', `/ssf/streams?stream_id=${id}`)).status).toBe(404);
  });
});
