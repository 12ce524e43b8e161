import { AckPolicy, DeliverPolicy, jetstreamManager } from '@nats-io/jetstream';
import { connect, headers, nkeyAuthenticator, PermissionViolationError, type NatsConnection } from '@nats-io/transport-node';
import { busCredentialFile } from '@tessera/config';
import { BUS_SERVICES, EVENT_OWNERS, EventsByOwner, INTEGRATION_EVENT_SUBJECTS, Subjects, type BusService } from '@tessera/contracts';
import { eventStreamName, NatsBus } from '@tessera/messaging';
import { testLogger } from '@tessera/testing';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSecuredNats, type SecuredNats } from '../support/secured-nats.js';

/**
 * Who a message on the secured bus comes from: events only from the service that owns them, replies only from the
 * service asked, and deliveries a push consumer points at a request subject are not taken as requests.
 */
let nats: SecuredNats;
const open: { close(): Promise<void> }[] = [];
const PREFIX = 'alpha';
const wire = (subject: string) => `${PREFIX}.${subject}`;
const STREAM = eventStreamName(PREFIX);

async function seedOf(service: BusService): Promise<Uint8Array> {
  return new TextEncoder().encode((await readFile(busCredentialFile(nats.credentials, PREFIX, service), 'utf8')).trim());
}

async function as(service: BusService): Promise<NatsConnection> {
  const nc = await connect({ servers: nats.url, authenticator: nkeyAuthenticator(await seedOf(service)), inboxPrefix: `_INBOX.${service}`, reconnect: false });
  open.push(nc);
  return nc;
}

/** A NatsBus with a service's own credential, as the service runs it. */
async function busAs(service: BusService): Promise<NatsBus> {
  const bus = new NatsBus({ servers: nats.url, subjectPrefix: PREFIX, name: service, logger: testLogger(), security: { credentials: await seedOf(service) } });
  await bus.connect();
  open.push(bus);
  return bus;
}

async function refusal(nc: NatsConnection, act: () => unknown): Promise<PermissionViolationError> {
  const statuses = nc.status();
  const seen = (async () => {
    for await (const status of statuses) if (status.type === 'error' && status.error instanceof PermissionViolationError) return status.error;
    throw new Error('connection closed without a permissions violation');
  })();
  act();
  await nc.flush().catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('no permissions violation within 2 s')), 2_000)));
  try {
    return await Promise.race([seen, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  nats = await startSecuredNats({ prefixes: [PREFIX] });
  await (await busAs('auth-server')).ensureStream();
});
afterAll(async () => {
  for (const c of open.reverse()) await c.close().catch(() => undefined);
  await nats?.stop();
});

describe('events come from the service that owns them', () => {
  it("no service may publish another's events (a revocation, an audit line, an integration change)", async () => {
    for (const publisher of BUS_SERVICES) {
      for (const owner of EVENT_OWNERS.filter((o) => o !== publisher)) {
        const nc = await as(publisher);
        for (const subject of Object.values(EventsByOwner[owner])) {
          expect(await refusal(nc, () => nc.publish(wire(subject), '{}')), `${publisher} → ${subject}`).toMatchObject({
            operation: 'publish',
            subject: wire(subject),
          });
        }
        await nc.close();
      }
    }
  });

  it('each service may publish its own', async () => {
    const broker = await busAs('outbound-token-broker');
    await expect(
      broker.publish({
        id: crypto.randomUUID(),
        type: EventsByOwner['outbound-token-broker'].outboundTokenRevoked,
        occurredAt: new Date().toISOString(),
        data: {},
      }),
      // Stored: the acknowledgement names its stream sequence.
    ).resolves.toBeGreaterThan(0);
  });
});

describe('push consumers', () => {
  it("a consumer a service creates delivers to no other service's subject: the stream lives in an account no service is in", async () => {
    // The server lets a credential that may create a watch consumer give it any deliver subject (nats-server 2.9 to
    // 2.12 do not check it): the auth server's points integration events at the broker's token.access, in the broker's
    // queue group. The consumer is made in the platform's events account, whose `token.access` nobody listens on.
    const asked: unknown[] = [];
    const broker = await busAs('outbound-token-broker');
    broker.serve(Subjects.broker.token.access, 'outbound-token-broker', async ({ data }) => {
      asked.push(data);
      return { ok: true, data: null };
    });
    await broker.flush();
    // And a plain subscription with the broker's credential, which would see any delivery at all on the subject.
    const seen: string[] = [];
    const raw = await as('outbound-token-broker');
    raw.subscribe(wire(Subjects.broker.token.access), { callback: (_err, msg) => void seen.push(msg.subject) });
    await raw.flush();
    const auth = await as('auth-server');
    const jsm = await jetstreamManager(auth);
    const consumer = 'auth-server-watch-push';
    await jsm.consumers.add(STREAM, {
      name: consumer,
      deliver_subject: wire(Subjects.broker.token.access),
      deliver_group: 'outbound-token-broker',
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      filter_subject: wire(EventsByOwner['integrations-registry'].integrationUpdated),
    });
    // Pointed back at the event subjects it would loop: the server refuses it.
    await expect(
      jsm.consumers.add(STREAM, {
        name: 'auth-server-watch-loop',
        deliver_subject: wire(EventsByOwner['integrations-registry'].integrationUpdated),
        ack_policy: AckPolicy.None,
        filter_subject: wire(EventsByOwner['integrations-registry'].integrationUpdated),
      }),
    ).rejects.toThrow(/cycle/i);

    const registry = await busAs('integrations-registry');
    const updated = EventsByOwner['integrations-registry'].integrationUpdated;
    const change = { integrationId: 'i', applicationId: 'a', name: 'n', enabled: true, permissions: [], change: 'updated', revision: 1 };
    // The platform's own consumers still work through the events account: a durable one and a live feed.
    const durable: string[] = [];
    const live: string[] = [];
    const authBus = await busAs('auth-server');
    await authBus.consume({ durable: 'auth-server', subjects: [updated] }, async (event) => void durable.push(event.id));
    const feed = await authBus.watch([INTEGRATION_EVENT_SUBJECTS], 0, async (event) => void live.push(event.id));
    const id = crypto.randomUUID();
    await registry.publish({ id, type: updated, occurredAt: new Date().toISOString(), data: change });
    for (let i = 0; i < 100 && !(durable.includes(id) && live.includes(id)); i++) await sleep(50);
    expect(durable).toContain(id);
    expect(live).toContain(id);
    await feed.stop();
    await sleep(300);
    expect(seen).toEqual([]); // nothing reached the broker's subject
    expect(asked).toEqual([]);
    // The server had nowhere to deliver it: no one in the events account listens on that subject.
    expect((await jsm.consumers.info(STREAM, consumer)).delivered.stream_seq).toBe(0);
  });
});

describe('replies', () => {
  it("a service cannot have another service's answer land on a caller's pending request", async () => {
    // The registry sees the gateway's reply subjects (the gateway calls it). It asks the broker questions of its own
    // with the gateway's reply subjects (the one it saw, and the next if tokens were a counter): no answer to those may
    // settle the gateway's requests.
    const registry = await as('integrations-registry');
    const broker = await busAs('outbound-token-broker');
    broker.serve(Subjects.broker.provider.get, 'outbound-token-broker', async ({ data }) => {
      if (!(data as { forged?: boolean }).forged) await sleep(500);
      return { ok: true, data: { answered: data } };
    });
    await broker.flush();
    registry.subscribe(wire(Subjects.registry.integration.get), {
      queue: 'integrations-registry',
      callback: (_error, msg) => {
        const reply = msg.reply!;
        registry.publish(wire(Subjects.broker.provider.get), JSON.stringify({ forged: 'this' }), { reply });
        const next = reply.replace(/\.([^.]+)$/, (_m, token: string) => `.${(parseInt(token, 36) + 1).toString(36)}`);
        setTimeout(() => registry.publish(wire(Subjects.broker.provider.get), JSON.stringify({ forged: 'next' }), { reply: next }), 150);
        // Its own answer, late, as the registry it is.
        const h = headers();
        h.set('Tessera-Responder', 'integrations-registry');
        setTimeout(() => msg.respond(JSON.stringify({ ok: true, data: { from: 'registry' } }), { headers: h }), 300);
      },
    });
    await registry.flush();
    const gateway = await busAs('gateway');
    const first = gateway.request(Subjects.registry.integration.get, { id: 'x' }, { timeoutMs: 3_000 });
    await sleep(50);
    const second = gateway.request(Subjects.broker.provider.get, { id: 'mine' }, { timeoutMs: 3_000 });
    expect(await first).toEqual({ ok: true, data: { from: 'registry' } });
    expect(await second).toEqual({ ok: true, data: { answered: { id: 'mine' } } });
  });
});
