import { eventually } from '@tessera/testing';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '../support/admin-api.js';
import { basic, form } from '../support/test-platform.js';
import { startBrokerPlatform, type BrokerPlatform } from '../support/broker-platform.js';
import { WebhookReceiver, type ReceivedWebhook } from '../support/webhook-receiver.js';

/** Compressed so retries happen within the test: four attempts over about 1.4 s. */
const SCHEDULE = '200ms,400ms,800ms';

let p: BrokerPlatform;
const receivers: WebhookReceiver[] = [];

beforeAll(async () => {
  p = await startBrokerPlatform({
    env: { TESSERA_EGRESS_ALLOW: '127.0.0.0/8,::1', TESSERA_WEBHOOK_RETRY_SCHEDULE: SCHEDULE, TESSERA_WEBHOOK_DISABLE_AFTER: '4s' },
  });
});
afterAll(async () => {
  await Promise.all(receivers.map((r) => r.stop()));
  await p?.stop();
});

interface Endpoint {
  id: string;
  secret: string;
  enabled: boolean;
  disabledReason: string | null;
  publicKey: string | null;
  previousSecretUntil: string | null;
}
interface Message {
  id: string;
  eventId: string;
  state: string;
  attempts: { status: number | null; latencyMs: number; response: string; error: string | null }[];
}

async function receiver(): Promise<WebhookReceiver> {
  const started = await WebhookReceiver.start();
  receivers.push(started);
  return started;
}

async function endpoint(url: string, body: Record<string, unknown> = {}): Promise<Endpoint> {
  const created = await p.http<Endpoint>('POST', '/admin/webhooks', { url, eventTypes: ['registry.integration.*'], ...body });
  expect(created.status, created.text).toBe(201);
  return created.body;
}

/** Sends a test message to one endpoint; answers its webhook-id. */
async function testMessage(id: string): Promise<string> {
  const sent = await p.http<Message>('POST', `/admin/webhooks/${id}/test`);
  expect(sent.status, sent.text).toBe(200);
  return sent.body.id;
}

/** Creates an integration: the registry's `integration.created` event reaches every endpoint listening to it. */
async function integrationCreated(name: string): Promise<string> {
  expect((await p.http('POST', '/admin/integrations', { name, permissions: ['*:orgs=read'] })).status).toBe(201);
  const event = await p.events.waitFor((e) => e.type === 'tessera.events.registry.integration.created' && (e.data as { name: string }).name === name);
  return event.id;
}

function verify(secret: string, request: ReceivedWebhook): unknown {
  return new Webhook(secret).verify(request.body, request.headers as Record<string, string>);
}

async function messages(id: string): Promise<Message[]> {
  return (await p.http<{ items: Message[] }>('GET', `/admin/webhooks/${id}/messages`)).body.items;
}

describe('/admin/webhooks', () => {
  it('creates an endpoint whose secret is shown once and stored sealed; admins only; every change audited', async () => {
    const created = await p.http<Endpoint>('POST', '/admin/webhooks', { url: 'https://hooks.example.test/in', eventTypes: ['token.*'], description: 'ops' });
    expect(created.status).toBe(201);
    expect(created.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(created.body).toMatchObject({ enabled: true, disabledReason: null, publicKey: null, eventTypes: ['token.*'], description: 'ops' });
    const [row] = await p.database.query<{ secret_sealed: string }>('SELECT secret_sealed FROM broker.webhook_endpoint WHERE id = $1', [created.body.id]);
    expect(row.secret_sealed).not.toContain(created.body.secret.slice(6, 20));
    expect(p.openSealed(row.secret_sealed, created.body.id, 'secret')).toBe(created.body.secret);

    const read = await p.http('GET', `/admin/webhooks/${created.body.id}`);
    const listed = await p.http<{ items: Endpoint[] }>('GET', '/admin/webhooks');
    for (const answer of [read, listed]) expect(answer.text).not.toContain(created.body.secret);
    expect(listed.body.items.map((e) => e.id)).toContain(created.body.id);

    const patched = await p.http<Endpoint>('PATCH', `/admin/webhooks/${created.body.id}`, { enabled: false, eventTypes: ['*'] });
    expect(patched.body).toMatchObject({ enabled: false, disabledReason: 'manual', eventTypes: ['*'] });

    // An operator (here an integration holding the role: no argon2 sign-in) neither reads nor changes endpoints.
    const operator = (
      await p.http<{ applicationId: string; appSecret: string }>('POST', '/admin/integrations', {
        name: 'webhook-operator',
        permissions: ['*:platform=operate'],
      })
    ).body;
    const { body, headers } = form({ grant_type: 'client_credentials' });
    const issued = await fetch(`${p.url}/oauth/token`, {
      method: 'POST',
      body,
      headers: { ...headers, authorization: basic(operator.applicationId, operator.appSecret) },
    });
    const token = ((await issued.json()) as { access_token: string }).access_token;
    expect((await api(p.url, token, 'GET', '/admin/webhooks')).status).toBe(403);
    expect((await api(p.url, token, 'POST', '/admin/webhooks', { url: 'https://x.test', eventTypes: ['*'] })).status).toBe(403);

    expect((await p.http('DELETE', `/admin/webhooks/${created.body.id}`)).status).toBe(204);
    expect((await p.http('GET', `/admin/webhooks/${created.body.id}`)).status).toBe(404);
    const audit = await eventually(async () => {
      const lines = await p.database.query<{ action: string }>(`SELECT action FROM auth.audit_entry WHERE target_id = $1 ORDER BY occurred_at`, [
        created.body.id,
      ]);
      return lines.length === 3 && lines;
    });
    expect(audit.map((l) => l.action)).toEqual(['webhook.create', 'webhook.update', 'webhook.delete']);
    const all = await p.http('GET', '/admin/audit?action=webhook.');
    expect(all.text).not.toContain(created.body.secret);
  });

  it('answers bad input with 400 per field, and refuses a URL the egress policy would refuse', async () => {
    const bad = await p.http<{ fields: Record<string, string[]> }>('POST', '/admin/webhooks', {
      url: 'ftp://x',
      eventTypes: ['Token Revoked'],
      enabled: 'yes',
    });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.fields).sort()).toEqual(['enabled', 'eventTypes', 'url']);
    expect((await p.http('POST', '/admin/webhooks', { url: 'https://x.test', eventTypes: [] })).status).toBe(400);
    const metadata = await p.http<{ fields: Record<string, string[]> }>('POST', '/admin/webhooks', { url: 'http://169.254.169.254/latest', eventTypes: ['*'] });
    expect(metadata.status).toBe(400);
    expect(metadata.body.fields.url[0]).toMatch(/not allowed by the egress policy/);
    expect((await p.http('GET', '/admin/webhooks/not-a-uuid')).status).toBe(404);
    expect((await p.http('POST', `/admin/webhooks/${crypto.randomUUID()}/secret`, {})).status).toBe(404);
  });
});

describe('delivery (Standard Webhooks)', () => {
  it('delivers an event as its envelope, signed so the standardwebhooks package verifies it, with v1a when asked', async () => {
    const r = await receiver();
    const hook = await endpoint(r.url, { ed25519: true });
    expect(hook.publicKey).toMatch(/^whpk_/);
    const eventId = await integrationCreated('hooked-1');
    const [request] = await eventually(async () => r.withId(`msg_${eventId}`).length > 0 && r.withId(`msg_${eventId}`));
    const payload = verify(hook.secret, request) as { id: string; type: string; data: { name: string } };
    expect(payload).toMatchObject({ id: eventId, type: 'tessera.events.registry.integration.created', data: { name: 'hooked-1' } });
    expect(Object.keys(payload).sort()).toEqual(['data', 'id', 'occurredAt', 'type']);
    expect(Math.abs(Number(request.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(10);
    expect(String(request.headers['webhook-signature'])).toMatch(/^v1,\S+ v1a,\S+$/);
    expect(request.headers['content-type']).toBe('application/json');
    // Another endpoint's secret does not verify it.
    const other = await endpoint('https://hooks.example.test/other');
    expect(() => verify(other.secret, request)).toThrow();
    const [logged] = await eventually(async () => (await messages(hook.id)).filter((m) => m.id === `msg_${eventId}` && m.state === 'delivered'));
    expect(logged.attempts).toEqual([expect.objectContaining({ status: 204, error: null })]);
  });

  it('retries a failing, a redirecting and a throttling endpoint on the schedule, with the same webhook-id each time', async () => {
    const failing = await receiver();
    failing.answer = (_req, nth) => (nth <= 2 ? { status: 500, body: 'database is down' } : { status: 200, body: 'ok' });
    const redirecting = await receiver();
    redirecting.answer = (req) => (req.path === '/hook' ? { status: 307, headers: { location: '/elsewhere' } } : { status: 200 });
    const throttling = await receiver();
    throttling.answer = (_req, nth) => (nth === 1 ? { status: 429, headers: { 'retry-after': '2' } } : { status: 204 });

    const [f, rd, t] = [await endpoint(failing.url), await endpoint(redirecting.url), await endpoint(throttling.url)];
    const [fid, rid, tid] = [await testMessage(f.id), await testMessage(rd.id), await testMessage(t.id)];

    const fromFailing = await eventually(async () => failing.withId(fid).length === 3 && failing.withId(fid), 10_000);
    for (const request of fromFailing) verify(f.secret, request);
    // The schedule's 200 ms and 400 ms, each ±20 %.
    expect(fromFailing[1].at - fromFailing[0].at).toBeGreaterThanOrEqual(150);
    expect(fromFailing[2].at - fromFailing[1].at).toBeGreaterThanOrEqual(300);
    const log = await eventually(async () => (await messages(f.id)).find((m) => m.id === fid && m.state === 'delivered'), 5_000);
    expect(log.attempts.map((a) => a.status)).toEqual([500, 500, 200]);
    expect(log.attempts[0].response).toBe('database is down');
    expect(log.attempts.every((a) => a.latencyMs >= 0)).toBe(true);

    // A redirect is a failure and is never followed: four attempts at /hook, none at /elsewhere, then failed.
    const fromRedirecting = await eventually(async () => (await messages(rd.id)).find((m) => m.id === rid && m.state === 'failed'), 10_000);
    expect(fromRedirecting.attempts.map((a) => a.status)).toEqual([307, 307, 307, 307]);
    expect(redirecting.received.map((r) => r.path)).toEqual(['/hook', '/hook', '/hook', '/hook']);
    expect(new Set(redirecting.received.map((r) => r.headers['webhook-id']))).toEqual(new Set([rid]));

    // Retry-After: 2 on a 429 replaces the schedule's 200 ms.
    const fromThrottling = await eventually(async () => throttling.withId(tid).length === 2 && throttling.withId(tid), 10_000);
    expect(fromThrottling[1].at - fromThrottling[0].at).toBeGreaterThanOrEqual(1_900);
  });

  it('disables an endpoint that answers 410 Gone, with an event and an audit line', async () => {
    const gone = await receiver();
    gone.answer = () => ({ status: 410 });
    const hook = await endpoint(gone.url);
    await testMessage(hook.id);
    const event = await p.events.waitFor(
      (e) => e.type === 'tessera.events.broker.webhook.disabled' && (e.data as { webhookId: string }).webhookId === hook.id,
      10_000,
    );
    expect(event.data).toMatchObject({ reason: 'gone', url: gone.url });
    expect((await p.http<Endpoint>('GET', `/admin/webhooks/${hook.id}`)).body).toMatchObject({ enabled: false, disabledReason: 'gone' });
    expect(gone.received).toHaveLength(1);
    await eventually(
      async () => (await p.database.query(`SELECT 1 FROM auth.audit_entry WHERE target_id = $1 AND action = 'webhook.disable'`, [hook.id])).length === 1,
    );
    // Enabled again by an admin, it receives again.
    gone.answer = () => ({ status: 200 });
    expect((await p.http<Endpoint>('PATCH', `/admin/webhooks/${hook.id}`, { enabled: true })).body).toMatchObject({ enabled: true, disabledReason: null });
    const again = await testMessage(hook.id);
    await eventually(async () => gone.withId(again).length === 1);
  });

  it('disables an endpoint that keeps failing for longer than TESSERA_WEBHOOK_DISABLE_AFTER', async () => {
    const down = await receiver();
    down.answer = () => ({ status: 502 });
    const hook = await endpoint(down.url);
    const first = await testMessage(hook.id);
    await eventually(async () => (await messages(hook.id)).find((m) => m.id === first && m.state === 'failed'), 10_000);
    expect((await p.http<Endpoint>('GET', `/admin/webhooks/${hook.id}`)).body.enabled).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    await testMessage(hook.id);
    const event = await p.events.waitFor(
      (e) => e.type === 'tessera.events.broker.webhook.disabled' && (e.data as { webhookId: string }).webhookId === hook.id,
      10_000,
    );
    expect(event.data).toMatchObject({ reason: 'failing', failingSince: expect.any(String) });
    expect((await p.http<Endpoint>('GET', `/admin/webhooks/${hook.id}`)).body.disabledReason).toBe('failing');
  });

  it('signs with both secrets during a rotation overlap, and with the new one alone after it', async () => {
    const r = await receiver();
    const hook = await endpoint(r.url);
    const rotated = await p.http<Endpoint>('POST', `/admin/webhooks/${hook.id}/secret`, { graceSeconds: 3600 });
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).not.toBe(hook.secret);
    expect(rotated.body.previousSecretUntil).not.toBeNull();
    const during = await testMessage(hook.id);
    const [overlap] = await eventually(async () => r.withId(during).length > 0 && r.withId(during));
    expect(String(overlap.headers['webhook-signature']).split(' ')).toHaveLength(2);
    verify(hook.secret, overlap);
    verify(rotated.body.secret, overlap);

    const immediate = await p.http<Endpoint>('POST', `/admin/webhooks/${hook.id}/secret`, { graceSeconds: 0 });
    const after = await testMessage(hook.id);
    const [alone] = await eventually(async () => r.withId(after).length > 0 && r.withId(after));
    expect(String(alone.headers['webhook-signature']).split(' ')).toHaveLength(1);
    verify(immediate.body.secret, alone);
    expect(() => verify(rotated.body.secret, alone)).toThrow();
  });

  it('after an outage longer than the retries, recover re-sends what failed with the original ids; retry sends one', async () => {
    const r = await receiver();
    r.answer = () => ({ status: 503 });
    const hook = await endpoint(r.url);
    const since = new Date().toISOString();
    const eventIds = [await integrationCreated('outage-1'), await integrationCreated('outage-2')];
    const ids = eventIds.map((id) => `msg_${id}`);
    await eventually(async () => (await messages(hook.id)).filter((m) => ids.includes(m.id) && m.state === 'failed').length === 2, 10_000);
    expect(r.withId(ids[0])).toHaveLength(4);

    r.answer = () => ({ status: 200 });
    const recovered = await p.http<{ requeued: number }>('POST', `/admin/webhooks/${hook.id}/recover`, { since });
    expect(recovered.body).toEqual({ requeued: 2 });
    for (const id of ids) {
      const deliveries = await eventually(async () => r.withId(id).length === 5 && r.withId(id));
      verify(hook.secret, deliveries[4]);
      expect(JSON.parse(deliveries[4].body)).toEqual(JSON.parse(deliveries[0].body));
    }
    await eventually(async () => (await messages(hook.id)).filter((m) => ids.includes(m.id) && m.state === 'delivered').length === 2);
    const retried = await p.http<Message>('POST', `/admin/webhooks/${hook.id}/messages/${ids[0]}/retry`);
    expect(retried.status).toBe(200);
    await eventually(async () => r.withId(ids[0]).length === 6);
    expect((await p.http('POST', `/admin/webhooks/${hook.id}/messages/msg_nothing/retry`)).status).toBe(404);
    expect((await p.http('POST', `/admin/webhooks/${hook.id}/recover`, { since: 'yesterday' })).status).toBe(400);
  });

  it('a hanging endpoint does not delay the others', async () => {
    const hanging = await receiver();
    hanging.answer = () => 'hang';
    const healthy = await receiver();
    const slow = await endpoint(hanging.url);
    const fine = await endpoint(healthy.url);
    for (let i = 0; i < 6; i++) await testMessage(slow.id);
    const started = Date.now();
    const id = await testMessage(fine.id);
    await eventually(async () => healthy.withId(id).length === 1, 5_000, 10);
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
