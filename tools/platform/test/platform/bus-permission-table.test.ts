import { startAuthServer } from '@tessera/auth-server';
import { loadConfig, type TesseraConfig } from '@tessera/config';
import {
  BUS_PERMISSIONS,
  BUS_SERVICES,
  Events,
  NOTICE_SUBJECTS,
  subjectsIn,
  Subjects,
  type BusReply,
  type BusService,
  type EventEnvelope,
} from '@tessera/contracts';
import { resolveEncryptionKey } from '@tessera/runtime';
import { startGateway } from '@tessera/gateway';
import { startIntegrationsRegistry } from '@tessera/integrations-registry';
import {
  InProcessBus,
  subjectMatches,
  type Bus,
  type DurableConsumerOptions,
  type EventHandler,
  type FeedStatus,
  type LiveFeed,
  type MessageHeaders,
  type RequestHandler,
  type RequestOptions,
  type Stoppable,
  type StoredEventPage,
  type WatchOptions,
} from '@tessera/messaging';
import { startOutboundTokenBroker } from '@tessera/outbound-token-broker';
import { systemClock } from '@tessera/observability';
import type { MicroserviceRuntime } from '@tessera/service-runtime';
import { createTestDatabase, FakeOAuthProvider, testLogger, type TestDatabase } from '@tessera/testing';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, basic, form, freePort } from '../support/test-platform.js';

/** What one service did on the bus: every subject it served, consumed, watched, called and published. */
class RecordingBus implements Bus {
  readonly kind = 'in-process' as const;
  readonly served = new Set<string>();
  readonly consumed = new Set<string>();
  readonly durables = new Set<string>();
  readonly watched = new Set<string>();
  readonly called = new Set<string>();
  readonly published = new Set<string>();
  constructor(private readonly inner: Bus) {}
  connect(): Promise<void> {
    return this.inner.connect();
  }
  isConnected(): boolean {
    return this.inner.isConnected();
  }
  request(subject: string, data: unknown, options: RequestOptions): Promise<BusReply> {
    this.called.add(subject);
    return this.inner.request(subject, data, options);
  }
  serve(subject: string, queueGroup: string, handler: RequestHandler): Stoppable {
    this.served.add(subject);
    return this.inner.serve(subject, queueGroup, handler);
  }
  publish(event: EventEnvelope, headers?: MessageHeaders): Promise<number | undefined> {
    this.published.add(event.type);
    return this.inner.publish(event, headers);
  }
  notify(event: EventEnvelope, headers?: MessageHeaders): void {
    this.published.add(event.type);
    this.inner.notify(event, headers);
  }
  consume(options: DurableConsumerOptions, handler: EventHandler): Promise<Stoppable> {
    this.durables.add(options.durable);
    for (const subject of options.subjects) this.consumed.add(subject);
    return this.inner.consume(options, handler);
  }
  watch(subjects: string[], replayMs: number, handler: EventHandler, options?: WatchOptions): Promise<LiveFeed> {
    for (const s of subjects) this.watched.add(s);
    return this.inner.watch(subjects, replayMs, handler, options);
  }
  history(subject: string, afterSequence: number, limit: number): Promise<StoredEventPage> {
    this.watched.add(subject);
    return this.inner.history(subject, afterSequence, limit);
  }
  listen(subject: string, handler: EventHandler): Stoppable {
    this.watched.add(subject);
    return this.inner.listen(subject, handler);
  }
  replayCache(name: string, maxAgeMs: number) {
    return this.inner.replayCache(name, maxAgeMs);
  }

  feeds(): FeedStatus[] {
    return this.inner.feeds();
  }
  flush(): Promise<void> {
    return this.inner.flush();
  }
  async close(): Promise<void> {
    /* the shared bus is closed once, at the end */
  }
}

let db: TestDatabase;
let fake: FakeOAuthProvider;
let shared: InProcessBus;
let url: string;
const buses = {} as Record<BusService, RecordingBus>;
const stops: (() => Promise<void>)[] = [];

/**
 * Every service booted on a bus that records what it does, then driven through the main flows over HTTP. The
 * permission table must hold exactly the handlers and durable consumers the services register, and every call,
 * publication and watch they make; so a handler or consumer added without its permission fails here, not on a
 * secured bus in production.
 */
beforeAll(async () => {
  db = await createTestDatabase();
  fake = await new FakeOAuthProvider().start();
  const port = await freePort();
  const config: TesseraConfig = loadConfig({
    PORT: String(port),
    TESSERA_ISSUER: `http://127.0.0.1:${port}`,
    TESSERA_ADMIN_PASSWORD: ADMIN_PASSWORD,
    TESSERA_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    LOG_LEVEL: 'silent',
  });
  const logger = testLogger();
  shared = new InProcessBus(logger);
  await shared.connect();
  const encryptionKey = await resolveEncryptionKey(config, logger);
  const runtime = (service: BusService): MicroserviceRuntime => {
    buses[service] = new RecordingBus(shared);
    return { config, bus: buses[service], database: { url: db.url }, logger, clock: systemClock, encryptionKey };
  };
  for (const start of [
    () => startAuthServer(runtime('auth-server')),
    () => startIntegrationsRegistry(runtime('integrations-registry')),
    () => startOutboundTokenBroker(runtime('outbound-token-broker')),
  ]) {
    const running = await start();
    stops.push(() => running.stop());
  }
  const gateway = await startGateway(runtime('gateway'), { host: '127.0.0.1', port });
  stops.push(() => gateway.stop());
  url = gateway.url;
});
afterAll(async () => {
  for (const stop of stops.reverse()) await stop();
  await shared?.close();
  await fake?.stop();
  await db?.drop();
});

async function http<T = Record<string, string>>(method: string, path: string, body?: unknown, token?: string): Promise<T> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return (text ? JSON.parse(text) : {}) as T;
}

describe('the bus permission table (libs/contracts/src/bus-permissions.ts)', () => {
  it('holds exactly the request handlers and durable consumers each service registers', async () => {
    // The broker takes token.issued only while an enabled webhook endpoint wants it (ADR 0036): one that does, so that
    // consumer is made too, then removed.
    const admin = (await http<{ access_token: string }>('POST', '/admin/login', { username: 'admin', password: ADMIN_PASSWORD })).access_token;
    const hook = await http<{ id: string }>('POST', '/admin/webhooks', { url: 'https://hooks.example.test/bus-table', eventTypes: ['token.issued'] }, admin);
    expect(hook.id).toBeTruthy();
    for (let waited = 0; !NOTICE_SUBJECTS.every((s) => buses['outbound-token-broker'].consumed.has(s)) && waited < 10_000; waited += 100)
      await new Promise((resolve) => setTimeout(resolve, 100));
    await http('DELETE', `/admin/webhooks/${hook.id}`, undefined, admin);
    for (const service of BUS_SERVICES) {
      expect([...buses[service].served].sort(), `${service} serves`).toEqual([...BUS_PERMISSIONS[service].serves].sort());
      expect([...buses[service].consumed].sort(), `${service} consumes`).toEqual([...BUS_PERMISSIONS[service].consumes].sort());
      // Consumer names the nats:config grants are derived from the service's name (`<service>__<subject>`).
      expect(
        [...buses[service].durables].every((durable) => durable === service),
        `${service} durables`,
      ).toBe(true);
    }
  });

  it('holds every call, publication and watch the services make in the main flows', async () => {
    const admin = (await http<{ access_token: string }>('POST', '/admin/login', { username: 'admin', password: ADMIN_PASSWORD })).access_token;
    const integration = await http<{ applicationId: string; appSecret: string }>(
      'POST',
      '/admin/integrations',
      { name: 'ops', permissions: ['*:platform=admin'] },
      admin,
    );
    const oauth = async (path: string, params: Record<string, string>) => {
      const { body, headers } = form(params);
      return (
        await fetch(`${url}${path}`, { method: 'POST', body, headers: { ...headers, authorization: basic(integration.applicationId, integration.appSecret) } })
      ).json() as Promise<Record<string, string>>;
    };
    const issued = await oauth('/oauth/token', { grant_type: 'client_credentials' });
    const refreshed = await oauth('/oauth/token', { grant_type: 'refresh_token', refresh_token: issued.refresh_token });
    await oauth('/oauth/introspect', { token: refreshed.access_token });
    await oauth('/oauth/revoke', { token: refreshed.access_token });
    const instance = await http<{ id: string }>('POST', '/admin/instances', { name: 'acme', baseUrl: 'https://acme.example.com' }, admin);
    await http('POST', `/admin/instances/${instance.id}/integration`, undefined, admin);
    const provider = await http<{ id: string }>(
      'POST',
      '/admin/providers',
      { name: 'cc', grantType: 'client_credentials', clientId: 'c', clientSecret: 's', tokenUrl: `${fake.url}/token` },
      admin,
    );
    const token = await http<{ id: string }>('POST', '/admin/tokens', { name: 'cc-token', providerId: provider.id }, admin);
    await http('POST', `/admin/tokens/${token.id}/refresh`, undefined, admin);
    await http('GET', '/tokens/cc-token', undefined, admin);
    await fetch(`${url}/health/ready`);
    await fetch(`${url}/oauth/jwks`);

    for (const service of BUS_SERVICES) {
      const table = BUS_PERMISSIONS[service];
      for (const subject of buses[service].called) expect(table.calls, `${service} calls ${subject}`).toContain(subject);
      for (const type of buses[service].published) expect(table.publishes, `${service} publishes ${type}`).toContain(type);
      for (const subject of buses[service].watched)
        expect(
          table.watches.some((grant) => subjectMatches(grant, subject) || grant === subject),
          `${service} watches ${subject}`,
        ).toBe(true);
    }
    // The flows above did reach every kind of traffic, so the checks are not vacuous.
    expect(buses.gateway.called.size).toBeGreaterThan(10);
    expect(buses['auth-server'].called).toContain(Subjects.registry.integration.credentials);
    expect(buses['auth-server'].published).toContain(Events.tokenRevoked);
    expect(buses['integrations-registry'].published).toContain(Events.instanceRegistered);
    expect(buses['outbound-token-broker'].published).toContain(Events.outboundTokenRefreshed);
    expect(buses.gateway.watched).toContain(Events.tokenRevoked);
  });

  it('gives every request subject a caller and every event a publisher', () => {
    const calls = new Set(BUS_SERVICES.flatMap((s) => BUS_PERMISSIONS[s].calls));
    for (const subject of subjectsIn(Subjects)) expect(calls, subject).toContain(subject);
    const publishes = new Set(BUS_SERVICES.flatMap((s) => BUS_PERMISSIONS[s].publishes));
    for (const type of Object.values(Events)) expect(publishes, type).toContain(type);
  });

  it('keeps the secret-bearing internal subjects away from the HTTP edge', () => {
    expect(BUS_PERMISSIONS.gateway.calls).not.toContain(Subjects.registry.integration.credentials);
    // The gateway answers one question only: the public key its statements of who made a request verify under.
    expect(BUS_PERMISSIONS.gateway.serves).toEqual([Subjects.gateway.actorKey.get]);
    // admin.login carries the caller's address for its rate limit: only the gateway may send it.
    for (const service of BUS_SERVICES) expect(BUS_PERMISSIONS[service].calls.includes(Subjects.auth.admin.login)).toBe(service === 'gateway');
  });
});
