import { decodeKey } from '@tessera/crypto';
import { Events, Subjects, type BusReply, type IntegrationWithSecret, type PlatformInstanceView } from '@tessera/contracts';
import { NatsBus } from '@tessera/messaging';
import { systemClock } from '@tessera/observability';
import type { RunningMicroservice } from '@tessera/service-runtime';
import { createTestDatabase, deleteEventStream, EventWatcher, testConfig, testLogger, type TestDatabase } from '@tessera/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIntegrationsRegistry } from '../src/index.js';

/**
 * The registry on its own, on the real PostgreSQL and NATS, over the bus as the gateway calls it: what it stores,
 * answers and publishes. (No auth-server runs: changes are in force at once, since nothing could issue under them.)
 */
let database: TestDatabase;
let config: ReturnType<typeof testConfig>;
let registry: RunningMicroservice;
let registryBus: NatsBus;
let caller: NatsBus;
let events: EventWatcher;

const ask = async <T>(subject: string, payload: unknown): Promise<BusReply<T>> => (await caller.request(subject, payload, { timeoutMs: 5_000 })) as BusReply<T>;
const answer = async <T>(subject: string, payload: unknown): Promise<T> => {
  const reply = await ask<T>(subject, payload);
  if (!reply.ok) throw new Error(`${subject}: ${reply.error.code} ${reply.error.message}`);
  return reply.data;
};
const refusal = async (subject: string, payload: unknown) => {
  const reply = await ask(subject, payload);
  return reply.ok ? undefined : reply.error.code;
};

beforeAll(async () => {
  database = await createTestDatabase();
  config = testConfig(database);
  events = await EventWatcher.start(config);
  registryBus = new NatsBus({ servers: config.natsUrl!, subjectPrefix: config.subjectPrefix, name: 'integrations-registry', logger: testLogger() });
  caller = new NatsBus({ servers: config.natsUrl!, subjectPrefix: config.subjectPrefix, name: 'gateway', logger: testLogger() });
  await registryBus.connect();
  await caller.connect();
  registry = await startIntegrationsRegistry({
    config,
    bus: registryBus,
    database: { url: database.url },
    logger: testLogger(),
    clock: systemClock,
    encryptionKey: decodeKey(config.encryptionKey!),
  });
});
afterAll(async () => {
  await registry?.stop();
  await registryBus?.close();
  await caller?.close();
  await events?.stop();
  if (config) await deleteEventStream(config);
  await database?.drop();
});

describe('platform instances', () => {
  it('registers an instance, reads it back, publishes instance.registered, and refuses a second of that name', async () => {
    const registered = await answer<PlatformInstanceView>(Subjects.registry.instance.register, { name: 'acme', baseUrl: 'https://acme.example' });
    expect(registered).toMatchObject({ name: 'acme', baseUrl: 'https://acme.example', auth: { type: 'none' } });
    expect(await answer(Subjects.registry.instance.get, { id: registered.id })).toEqual(registered);

    const event = await events.waitFor((e) => e.type === Events.instanceRegistered && (e.data as { instanceId: string }).instanceId === registered.id);
    expect(event.data).toMatchObject({ name: 'acme', baseUrl: 'https://acme.example' });
    expect(await database.query('SELECT name, base_url FROM registry.platform_instance WHERE id = $1', [registered.id])).toEqual([
      { name: 'acme', base_url: 'https://acme.example' },
    ]);

    expect(await refusal(Subjects.registry.instance.register, { name: 'acme', baseUrl: 'https://other.example' })).toBe('conflict');
  });

  it('answers not_found for an unknown id and validation_failed for a bad or unexpected field', async () => {
    expect(await refusal(Subjects.registry.instance.get, { id: systemClock.uuid() })).toBe('not_found');
    expect(await refusal(Subjects.registry.instance.register, { name: 'Not A Name!', baseUrl: 'https://x.example' })).toBe('validation_failed');
    expect(await refusal(Subjects.registry.instance.register, { name: 'beta', baseUrl: 'https://beta.example', extra: true })).toBe('validation_failed');
  });
});

describe('integrations', () => {
  it('creates an integration whose secret is shown once, stored only as a hash, and never published', async () => {
    const created = await answer<IntegrationWithSecret>(Subjects.registry.integration.create, { name: 'crm', permissions: ['*:orgs=read', 'acme:users=read'] });
    expect(created).toMatchObject({ name: 'crm', permissions: ['*:orgs=read', 'acme:users=read'], enabled: true });
    expect(created.appSecret).toEqual(expect.any(String));

    const [row] = await database.query<{ secret_hash: string }>('SELECT secret_hash FROM registry.integration WHERE id = $1', [created.id]);
    expect(row.secret_hash).not.toContain(created.appSecret);
    const event = await events.waitFor((e) => e.type === Events.integrationCreated && JSON.stringify(e.data).includes(created.id));
    expect(JSON.stringify(event)).not.toContain(created.appSecret);

    const read = await answer<Record<string, unknown>>(Subjects.registry.integration.get, { id: created.id });
    expect(read).toMatchObject({ id: created.id, name: 'crm', applicationId: created.applicationId });
    expect(JSON.stringify(read)).not.toContain(created.appSecret);
    expect(await refusal(Subjects.registry.integration.create, { name: 'crm', permissions: ['*:orgs=read'] })).toBe('conflict');
  });

  it('refuses a permission outside the grammar, naming it', async () => {
    const reply = await ask(Subjects.registry.integration.create, { name: 'bad', permissions: ['acme:tokens=read'] });
    expect(reply.ok).toBe(false);
    expect(!reply.ok && reply.error.code).toBe('validation_failed');
    expect(JSON.stringify(reply)).toContain('acme:tokens=read');
  });
});
