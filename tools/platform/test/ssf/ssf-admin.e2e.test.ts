import { eventually } from '@tessera/testing';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createAdmin, integrationWithToken } from '../support/admin-api.js';
import { json, sharedPlatform, type SharedPlatform } from '../support/shared-platform.js';

/**
 * GET /admin/ssf/streams as an operator meets it: every receiver's streams with how SETs reach them and whether they
 * get through (subjects, SETs waiting, the last push failure), never the push Authorization header; refused below the
 * operator role and to a receiver's own token.
 */
const PREFIX = `ssf-admin-${Date.now()}`;
const SESSION_REVOKED = 'https://schemas.openid.net/secevent/caep/event-type/session-revoked';
const PUSH_SECRET = `Bearer ${PREFIX}-push-secret`;

interface AdminStream {
  streamId: string;
  receiver: string;
  deliveryMethod: string;
  endpointUrl: string | null;
  status: string;
  eventsRequested: string[];
  eventsDelivered: string[];
  subjects: number;
  pendingSets: number;
  oldestPendingAt: string | null;
  lastPushError: string | null;
  createdAt: string;
}

let t: SharedPlatform;
let admin: string;
let receiverId: string;
let receiverToken: string;
let pushServer: Server;
let pushes = 0;
const streams: string[] = [];

async function createStream(body: Record<string, unknown>): Promise<string> {
  const response = await api(t.url, receiverToken, 'POST', '/ssf/streams', body);
  expect(response.status).toBe(201);
  const { stream_id } = await json<{ stream_id: string }>(response);
  streams.push(stream_id);
  return stream_id;
}

beforeAll(async () => {
  // A push receiver that is down: every SET stays waiting, with the failure noted.
  pushServer = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      pushes++;
      response.statusCode = 503;
      response.end();
    });
  });
  await new Promise<void>((resolve) => pushServer.listen(0, '127.0.0.1', resolve));
  t = await sharedPlatform();
  admin = await t.adminToken();
  ({ applicationId: receiverId, accessToken: receiverToken } = await integrationWithToken(t.url, admin, `${PREFIX}-receiver`, ['*:ssf=receive']));
});
afterAll(async () => {
  // Deleted streams drop their waiting SETs: nothing of this file keeps being pushed.
  for (const stream_id of streams) if (receiverToken) await api(t.url, receiverToken, 'DELETE', `/ssf/streams?stream_id=${stream_id}`);
  await t?.stop();
  await new Promise((resolve) => pushServer?.close(resolve));
});

describe('GET /admin/ssf/streams', () => {
  it("shows every receiver's streams with delivery, status, subjects, waiting SETs and the last push failure, never the push secret", async () => {
    const endpoint = `http://127.0.0.1:${(pushServer.address() as AddressInfo).port}/events`;
    const push = await createStream({
      delivery: { method: 'urn:ietf:rfc:8935', endpoint_url: endpoint, authorization_header: PUSH_SECRET },
      events_requested: [SESSION_REVOKED],
      description: `${PREFIX} push`,
    });
    const poll = await createStream({ delivery: { method: 'urn:ietf:rfc:8936' } });
    const subject = { stream_id: poll, subject: { format: 'opaque', id: receiverId } };
    expect((await api(t.url, receiverToken, 'POST', '/ssf/subjects/add', subject)).status).toBe(200);
    // A verification event is queued for the push stream at once; the receiver answers 503, so it waits.
    expect((await api(t.url, receiverToken, 'POST', '/ssf/verify', { stream_id: push, state: PREFIX })).status).toBe(204);

    let mine: AdminStream[] = [];
    await eventually(async () => {
      const response = await api(t.url, admin, 'GET', `/admin/ssf/streams?receiver=${receiverId}`);
      expect(response.status).toBe(200);
      const text = await response.text();
      expect(text).not.toContain(PUSH_SECRET);
      expect(text).not.toMatch(/authorization/i);
      mine = (JSON.parse(text) as { items: AdminStream[] }).items;
      return mine.find((s) => s.streamId === push)?.lastPushError !== null;
    }, 15_000);
    expect(pushes).toBeGreaterThanOrEqual(1);
    expect(mine.map((s) => s.streamId)).toEqual([poll, push]);
    const [pollView, pushView] = mine;
    expect(pushView).toMatchObject({
      receiver: receiverId,
      deliveryMethod: 'push',
      endpointUrl: endpoint,
      status: 'enabled',
      description: `${PREFIX} push`,
      eventsRequested: [SESSION_REVOKED],
      eventsDelivered: [SESSION_REVOKED],
      subjects: 0,
      pendingSets: 1,
      lastPushError: 'HTTP 503',
    });
    expect(Date.parse(pushView.oldestPendingAt!)).toBeGreaterThanOrEqual(Date.parse(pushView.createdAt));
    expect(pollView).toMatchObject({
      receiver: receiverId,
      deliveryMethod: 'poll',
      endpointUrl: null,
      status: 'enabled',
      subjects: 1,
      pendingSets: 0,
      oldestPendingAt: null,
      lastPushError: null,
    });

    // Unfiltered, the list holds every receiver's streams, ours among them.
    const all = await api(t.url, admin, 'GET', '/admin/ssf/streams?limit=500');
    expect(all.status).toBe(200);
    const ids = (await json<{ items: AdminStream[] }>(all)).items.map((s) => s.streamId);
    expect(ids).toEqual(expect.arrayContaining([push, poll]));
  });

  it('answers an operator, refuses a viewer and a receiver token with 403, and a bad limit with 400', async () => {
    const operator = await createAdmin(t.url, admin, `${PREFIX}-op`, 'operator');
    const viewer = await createAdmin(t.url, admin, `${PREFIX}-view`, 'viewer');
    expect((await api(t.url, operator.token, 'GET', `/admin/ssf/streams?receiver=${receiverId}`)).status).toBe(200);
    expect((await api(t.url, viewer.token, 'GET', '/admin/ssf/streams')).status).toBe(403);
    expect((await api(t.url, receiverToken, 'GET', '/admin/ssf/streams')).status).toBe(403);
    expect((await fetch(`${t.url}/admin/ssf/streams`)).status).toBe(401);

    const bad = await api(t.url, admin, 'GET', '/admin/ssf/streams?limit=0');
    expect(bad.status).toBe(400);
    expect((await json<{ fields: Record<string, unknown> }>(bad)).fields).toHaveProperty('limit');
  });
});
