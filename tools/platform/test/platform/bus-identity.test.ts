import { AckPolicy, DeliverPolicy, jetstreamManager } from '@nats-io/jetstream';
import { connect, headers, nkeyAuthenticator, PermissionViolationError, type NatsConnection } from '@nats-io/transport-node';
import { busCredentialFile } from '@tessera/config';
import { BUS_SERVICES, EVENT_OWNERS, EventsByOwner, Subjects, type BusService } from '@tessera/contracts';
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
  it('a JetStream delivery pointed at a request subject is not taken as a request', async () => {
    // The server lets a credential that may create a watch consumer give it any deliver subject (nats-server 2.9):
    // the auth server's points integration events at the broker's token.access.
    const asked: unknown[] = [];
    const broker = await busAs('outbound-token-broker');
    broker.serve(Subjects.broker.token.access, 'outbound-token-broker', async ({ data }) => {
      asked.push(data);
      return { ok: true, data: null };
    });
    await broker.flush();
    const auth = await as('auth-server');
    const consumer = 'auth-server-watch-push';
    // In the broker's queue group, as a push consumer must be to reach queue subscribers.
    await (
      await jetstreamManager(auth)
    ).consumers.add(STREAM, {
      name: consumer,
      deliver_subject: wire(Subjects.broker.token.access),
      deliver_group: 'outbound-token-broker',
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.New,
      filter_subject: wire(EventsByOwner['integrations-registry'].integrationUpdated),
    });
    const registry = await busAs('integrations-registry');
    await registry.publish({
      id: crypto.randomUUID(),
      type: EventsByOwner['integrations-registry'].integrationUpdated,
      occurredAt: new Date().toISOString(),
      data: {},
    });
    const jsm = await jetstreamManager(auth);
    for (let i = 0; i < 40 && (await jsm.consumers.info(STREAM, consumer)).delivered.stream_seq === 0; i++) await sleep(50);
    await sleep(300);
    const info = await jsm.consumers.info(STREAM, consumer);
    expect(info.delivered.stream_seq).toBeGreaterThan(0); // the server did deliver it to the broker's subject
    expect(asked).toEqual([]); // but the broker did not handle it as a request
    expect(info.ack_floor.stream_seq).toBe(0); // nor answer it (an answer to a delivery acknowledges it)
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
