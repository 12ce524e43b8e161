import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { Events } from '@tessera/contracts';
import { durableConsumerName, streamOf } from '@tessera/messaging';
import { eventually } from '@tessera/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, form } from '../support/test-platform.js';
import { startBrokerPlatform, type BrokerPlatform } from '../support/broker-platform.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';

// Its own platform: whether the broker takes notifications depends on every endpoint of the platform.
let p: BrokerPlatform;
let receiver: WebhookReceiver;
let nats: NatsConnection;
let jsm: JetStreamManager;
let client: { applicationId: string; appSecret: string };

beforeAll(async () => {
  p = await startBrokerPlatform({ env: { TESSERA_EGRESS_ALLOW: '127.0.0.0/8,::1' } });
  receiver = await WebhookReceiver.start();
  nats = await connect({ servers: p.config.natsUrl });
  jsm = await jetstreamManager(nats);
  client = (await p.http<typeof client>('POST', '/admin/integrations', { name: 'notices-client', permissions: ['*:orgs=read'] })).body;
});
afterAll(async () => {
  await receiver?.stop();
  await nats?.close();
  await p?.stop();
});

/** The broker's consumer of `token.issued`, or undefined while there is none. */
async function noticeConsumer() {
  const stream = streamOf(p.config.subjectPrefix, Events.tokenIssued)!.name;
  return jsm.consumers.info(stream, durableConsumerName('outbound-token-broker', Events.tokenIssued)).catch(() => undefined);
}

async function issueToken(): Promise<void> {
  const { body, headers } = form({ grant_type: 'client_credentials' });
  const answer = await fetch(`${p.url}/oauth/token`, {
    method: 'POST',
    body,
    headers: { ...headers, authorization: basic(client.applicationId, client.appSecret) },
  });
  expect(answer.status).toBe(200);
}

describe('token.issued webhooks', () => {
  it('are taken from the bus only while an enabled endpoint wants them', async () => {
    // Endpoints for other events only: tokens issued are not taken at all (no consumer on the notices stream).
    const other = await p.http<{ id: string }>('POST', '/admin/webhooks', { url: 'https://hooks.example.test/in', eventTypes: ['registry.integration.*'] });
    expect(other.status).toBe(201);
    await issueToken();
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(await noticeConsumer()).toBeUndefined();

    // An endpoint wanting them: the consumer is made at once and the tokens issued from then on reach the endpoint.
    const hook = await p.http<{ id: string }>('POST', '/admin/webhooks', { url: receiver.url, eventTypes: ['token.issued'] });
    expect(hook.status).toBe(201);
    expect(await eventually(noticeConsumer, 5_000)).toBeTruthy();
    const delivered = await eventually(async () => {
      await issueToken();
      const bodies = receiver.received.map((r) => JSON.parse(r.body) as { type: string; data: { clientId: string } });
      return bodies.find((b) => b.type === Events.tokenIssued && b.data.clientId === client.applicationId);
    }, 15_000);
    expect(delivered).toBeTruthy();

    // Disabled: the broker stops taking, so what is issued now waits on the server (until it drops the idle consumer).
    expect((await p.http('PATCH', `/admin/webhooks/${hook.body.id}`, { enabled: false })).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const before = (await noticeConsumer())!;
    await issueToken();
    await issueToken();
    const after = await eventually(async () => {
      const info = await noticeConsumer();
      return info && info.num_pending >= before.num_pending + 2 && info;
    }, 5_000);
    expect(after.delivered.stream_seq).toBe(before.delivered.stream_seq);
    expect(after.config.inactive_threshold).toBeGreaterThan(0);
  });
});
