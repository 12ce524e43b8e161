import type { TesseraConfig } from '@tessera/config';
import { AUDIT_RECORDED, Events, type InstanceRegisteredEvent, type PlatformInstancePage, type PlatformInstanceView } from '@tessera/contracts';
import { createTestDatabase, deleteEventStream, eventually, EventWatcher, testConfig, testLogger, type TestDatabase } from '@tessera/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type RunningPlatform } from '../../src/platform.js';
import { adminFetch, ADMIN_PASSWORD as TESSERA_ADMIN_PASSWORD } from '../support/sign-in.js';

describe('instance registration, end to end over HTTP, real Postgres and NATS', () => {
  let db: TestDatabase;
  let config: TesseraConfig;
  let platform: RunningPlatform;
  let events: EventWatcher;

  const post = (body: string | object, headers: Record<string, string> = {}) =>
    adminFetch(`${platform.url}/admin/instances`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  beforeAll(async () => {
    db = await createTestDatabase();
    config = testConfig(db, { TESSERA_ADMIN_PASSWORD });
    events = await EventWatcher.start(config);
    platform = await startPlatform(config, { logger: testLogger() });
  });

  afterAll(async () => {
    await platform?.stop();
    await events?.stop();
    await deleteEventStream(config);
    await db?.drop();
  });

  it('registers an instance, reads it back, publishes instance.registered and lets each service record it', async () => {
    const response = await post({ name: 'acme', baseUrl: 'https://acme.example.com/' }, { 'x-request-id': 'e2e-register-1' });
    expect(response.status).toBe(201);
    // The platform answers with its own request id; the caller's is kept apart, never taken as the platform's.
    const requestId = response.headers.get('x-request-id');
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    const created = (await response.json()) as PlatformInstanceView;
    expect(created).toMatchObject({ name: 'acme', baseUrl: 'https://acme.example.com' });
    expect(created.id).toMatch(/^[0-9a-f-]{36}$/);

    const byId = await adminFetch(`${platform.url}/admin/instances/${created.id}`);
    expect(byId.status).toBe(200);
    expect(await byId.json()).toEqual(created);

    const list = await adminFetch(`${platform.url}/admin/instances`);
    expect(list.status).toBe(200);
    const page = (await list.json()) as PlatformInstancePage;
    expect(page.items).toContainEqual(created);
    expect(page.total).toBe(1);

    const event = await events.waitFor((e) => e.type === Events.instanceRegistered && (e.data as InstanceRegisteredEvent).instanceId === created.id);
    expect(Object.keys(event).sort()).toEqual(['data', 'id', 'occurredAt', 'type']);
    expect(new Date(event.occurredAt).toISOString()).toBe(event.occurredAt);
    expect(event.data).toEqual({ instanceId: created.id, name: 'acme', baseUrl: 'https://acme.example.com', registeredAt: created.createdAt });

    expect(await db.query('SELECT id, name, base_url FROM registry.platform_instance')).toEqual([
      { id: created.id, name: 'acme', base_url: 'https://acme.example.com' },
    ]);
    // The request's id (and, apart, the one the caller sent) crossed the bus into the registry, which stored it with the
    // event it caused — with who asked and from where, and the audit line of the change in the same transaction.
    const caller = {
      'x-request-id': requestId,
      'x-tessera-client-request-id': 'e2e-register-1',
      'x-tessera-actor': expect.stringMatching(/^\{"type":"user","id":"[0-9a-f-]{36}","name":"admin"\}$/),
      'x-tessera-address': '127.0.0.1',
    };
    expect(await db.query('SELECT id, type, headers FROM registry.outbox_event ORDER BY type')).toEqual([
      { id: expect.any(String), type: AUDIT_RECORDED['integrations-registry'], headers: caller },
      { id: event.id, type: Events.instanceRegistered, headers: caller },
    ]);
    await eventually(async () => (await db.query('SELECT 1 FROM auth.known_instance WHERE instance_id = $1', [created.id])).length === 1);
    await eventually(async () => (await db.query('SELECT 1 FROM broker.peer_instance WHERE instance_id = $1', [created.id])).length === 1);
    const audit = await db.query<{ id: string }>(`SELECT id FROM registry.outbox_event WHERE type = $1`, [AUDIT_RECORDED['integrations-registry']]);
    await eventually(async () => (await db.query('SELECT 1 FROM auth.audit_entry WHERE id = $1', [audit[0].id])).length === 1);
    // Besides the audit lines it keeps (this one, and the sign-in's), auth-server applied exactly this event.
    expect(await db.query(`SELECT event_id FROM auth.processed_event WHERE type NOT LIKE '%.audit.recorded'`)).toEqual([{ event_id: event.id }]);
    expect(await db.query('SELECT event_id FROM auth.processed_event WHERE event_id = $1', [audit[0].id])).toHaveLength(1);
    expect(await db.query('SELECT event_id FROM broker.processed_event')).toEqual([{ event_id: event.id }]);
  });

  it('rejects an invalid body with 400 and a message for each bad field', async () => {
    const response = await post({ name: 'Not A Name!', baseUrl: 'ftp://nope' });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { fields: Record<string, string[]> };
    expect(Object.keys(body.fields).sort()).toEqual(['baseUrl', 'name']);
    expect(body.fields.name.length).toBeGreaterThan(0);
    expect(body.fields.baseUrl.length).toBeGreaterThan(0);

    const missing = await post({});
    expect(missing.status).toBe(400);
    expect(Object.keys(((await missing.json()) as { fields: object }).fields).sort()).toEqual(['baseUrl', 'name']);
  });

  it('rejects an unknown property with 400 naming it', async () => {
    const response = await post({ name: 'globex', baseUrl: 'https://globex.example.com', colour: 'blue' });
    expect(response.status).toBe(400);
    expect(Object.keys(((await response.json()) as { fields: object }).fields)).toEqual(['colour']);
  });

  it('answers a duplicate name with 409', async () => {
    expect((await post({ name: 'initech', baseUrl: 'https://initech.example.com' })).status).toBe(201);
    const duplicate = await post({ name: 'initech', baseUrl: 'https://other.example.com' });
    expect(duplicate.status).toBe(409);
    expect(await duplicate.json()).toMatchObject({ statusCode: 409, error: 'conflict' });
    expect(await db.query(`SELECT 1 FROM registry.platform_instance WHERE name = 'initech'`)).toHaveLength(1);
  });

  it('answers an unknown id with 404', async () => {
    const unknown = await adminFetch(`${platform.url}/admin/instances/7d0c5a4e-1b8e-4a53-9d3c-2f1e0b9a8c7d`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ statusCode: 404, error: 'not_found' });
    expect((await adminFetch(`${platform.url}/admin/instances/not-a-uuid`)).status).toBe(404);
  });

  it('answers malformed JSON with 400', async () => {
    const response = await post('{"name": "broken",');
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ statusCode: 400 });
  });

  it('gives every response a request id, generating one when the client sends none', async () => {
    const response = await fetch(`${platform.url}/health/ready`);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});
