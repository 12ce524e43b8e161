import { jetstream } from '@nats-io/jetstream';
import { connect, nkeyAuthenticator, type NatsConnection } from '@nats-io/transport-node';
import { busCredentialFile } from '@tessera/config';
import { AUDIT_RECORDED, Events, type DeadLetterPage, type TokenRevokedEvent } from '@tessera/contracts';
import { createTestDatabase, eventually, type TestDatabase } from '@tessera/testing';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSecuredNats, startSecuredPlatform, type SecuredNats, type SecuredPlatform } from '../support/secured-nats.js';
import { adminToken } from '../support/sign-in.js';
import { basic, form, freePort } from '../support/test-platform.js';

/**
 * What services may say in events, on the secured bus.
 *
 * Revocations the gateway's verifier gets are cut to what the auth server could honestly have said: one dated ahead,
 * kept past the longest token lifetime, or naming a revision no integration has reached cannot refuse the tokens
 * issued after it — live, and in the 24 h replay when the gateway starts again. The events are published here with
 * the auth server's own credential (the only one that may publish revocations), as a faulty or subverted auth server.
 *
 * An audit line names the service whose subject it came on, and a person only when the gateway vouched for them.
 */
const PREFIX = 'alpha';
let nats: SecuredNats;
let db: TestDatabase;
let port: number;
let core: SecuredPlatform;
let gateway: SecuredPlatform;
let auth: NatsConnection;
let broker: NatsConnection;
const key = randomBytes(32).toString('base64');

const startGateway = () => startSecuredPlatform(nats, { prefix: PREFIX, db, port, services: ['gateway'], env: { TESSERA_ENCRYPTION_KEY: key } });

beforeAll(async () => {
  nats = await startSecuredNats({ prefixes: [PREFIX] });
  db = await createTestDatabase();
  port = await freePort();
  core = await startSecuredPlatform(nats, {
    prefix: PREFIX,
    db,
    port,
    services: ['auth-server', 'integrations-registry', 'outbound-token-broker'],
    env: { TESSERA_ENCRYPTION_KEY: key },
  });
  gateway = await startGateway();
  auth = await as('auth-server');
  broker = await as('outbound-token-broker');
});
afterAll(async () => {
  await auth?.close();
  await broker?.close();
  await gateway?.stop();
  await core?.stop();
  await nats?.stop();
  await db?.drop();
});

async function as(service: 'auth-server' | 'outbound-token-broker'): Promise<NatsConnection> {
  const seed = (await readFile(busCredentialFile(nats.credentials, PREFIX, service), 'utf8')).trim();
  return connect({ servers: nats.url, authenticator: nkeyAuthenticator(new TextEncoder().encode(seed)), inboxPrefix: `_INBOX.${service}` });
}

async function clientToken(client: { applicationId: string; appSecret: string }): Promise<string> {
  const { body, headers } = form({ grant_type: 'client_credentials' });
  const response = await fetch(`${gateway.url}/oauth/token`, {
    method: 'POST',
    body,
    headers: { ...headers, authorization: basic(client.applicationId, client.appSecret) },
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { access_token: string }).access_token;
}

const status = async (token: string) => (await fetch(`${gateway.url}/admin/integrations`, { headers: { authorization: `Bearer ${token}` } })).status;

async function publishRevocation(data: TokenRevokedEvent | Record<string, unknown>): Promise<void> {
  await jetstream(auth).publish(
    `${PREFIX}.${Events.tokenRevoked}`,
    JSON.stringify({ id: randomUUID(), type: Events.tokenRevoked, occurredAt: new Date().toISOString(), data }),
  );
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
let client: { applicationId: string; appSecret: string };

describe('revocations that do not fit are cut to their bounds', () => {
  it('a client-wide revocation of the admin sessions dated an hour ahead does not refuse a sign-in made after it', async () => {
    const before = await adminToken(gateway.url);
    expect(await status(before)).toBe(200);
    const now = Date.now();
    await publishRevocation({
      clientId: 'tessera-admin',
      reason: 'admin',
      revokedAt: new Date(now + 3_600_000).toISOString(),
      expiresAt: new Date(now + 7_200_000).toISOString(),
    });
    // It did arrive: the session signed in before it is refused, as by any client-wide revocation.
    await eventually(async () => (await status(before)) === 401);
    // Past the clock-skew allowance (5 s), a new sign-in works although the event claimed an hour.
    await sleep(Math.max(0, now + 6_500 - Date.now()));
    expect(await status(await adminToken(gateway.url))).toBe(200);
  });

  it('a revision no integration has reached is not applied: the tokens issued after it are accepted', async () => {
    const created = await gateway.http<{ applicationId: string; appSecret: string }>('POST', '/admin/integrations', {
      name: 'bounded',
      permissions: ['*:platform=admin'],
    });
    expect(created.status).toBe(201);
    client = created.body;
    const before = await clientToken(client);
    expect(await status(before)).toBe(200);
    await publishRevocation({
      clientId: client.applicationId,
      reason: 'admin',
      revokedAt: new Date().toISOString(),
      clientRevision: 999_999,
      expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
    await eventually(async () => (await status(before)) === 401);
    await sleep(1_100); // issue times are in seconds
    expect(await status(await clientToken(client))).toBe(200);
  });

  it('the replay of the last 24 h at gateway start applies the same bounds', async () => {
    await gateway.stop();
    gateway = await startGateway();
    expect(await status(await adminToken(gateway.url))).toBe(200);
    expect(await status(await clientToken(client))).toBe(200);
  });
});

interface AuditLine {
  service: string;
  action: string;
  actor: { type: string; id: string; name?: string } | null;
  target: { type: string; name?: string };
  detail?: Record<string, unknown>;
}

describe('audit lines', () => {
  it("take their service from the subject they came on, and name a person only with the gateway's word", async () => {
    // The broker's credential, writing lines that claim to be the auth server's and an administrator's doing.
    const forgedLine = (target: string) => ({
      service: 'auth-server',
      action: 'admin_user.create',
      outcome: 'success',
      target: { type: 'admin_user', name: target },
      actor: { type: 'user', id: randomUUID(), name: 'admin' },
      address: '10.0.0.1',
      requestId: 'forged-1',
      // Well-formed but for its claims: a line that does not fit the audit line's class never reaches the log at all.
      clientRequestId: null,
    });
    const publish = (type: string, target: string) =>
      jetstream(broker).publish(
        `${PREFIX}.${AUDIT_RECORDED['outbound-token-broker']}`,
        JSON.stringify({ id: randomUUID(), type, occurredAt: new Date().toISOString(), data: forgedLine(target) }),
      );
    // An envelope naming another owner's kind than the subject it came on is never processed: it is set aside.
    await publish(AUDIT_RECORDED['auth-server'], 'mallory');
    // One of the broker's own kind is recorded as the broker's, naming no person.
    await publish(AUDIT_RECORDED['outbound-token-broker'], 'trudy');
    const forged = await eventually(async () => {
      const page = await gateway.http<{ items: AuditLine[] }>('GET', '/admin/audit?target=trudy');
      return page.body.items[0];
    }, 10_000);
    expect((await gateway.http<{ items: AuditLine[] }>('GET', '/admin/audit?target=mallory')).body.items).toEqual([]);
    expect(forged).toMatchObject({ service: 'outbound-token-broker', actor: null, detail: { claimedActor: 'user:admin' } });
  });

  it('an administrator acting through the gateway is still named on the line another service records', async () => {
    const created = await gateway.http<{ id: string }>('POST', '/admin/integrations', { name: 'named', permissions: ['*:platform=viewer'] });
    expect(created.status).toBe(201);
    const line = await eventually(async () => {
      const page = await gateway.http<{ items: AuditLine[] }>('GET', '/admin/audit?action=integration.create&target=named');
      return page.body.items[0];
    }, 10_000);
    expect(line).toMatchObject({ service: 'integrations-registry', actor: { type: 'user', name: 'admin' } });
    expect(line.detail?.claimedActor).toBeUndefined();
  });
});

describe('payloads that do not fit their kind never reach a handler', () => {
  const jtiOf = (token: string) => (JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as { jti: string }).jti;

  it('a durable consumer sets the event aside as a dead letter and handles the next one', async () => {
    const line = (target: string, outcome: string) => ({
      action: 'integration.update',
      outcome,
      target: { type: 'integration', name: target },
      actor: null,
      address: null,
      requestId: null,
      clientRequestId: null,
    });
    const publish = (data: object) =>
      jetstream(broker).publish(
        `${PREFIX}.${AUDIT_RECORDED['outbound-token-broker']}`,
        JSON.stringify({ id: randomUUID(), type: AUDIT_RECORDED['outbound-token-broker'], occurredAt: new Date().toISOString(), data }),
      );
    // The broker's own kind on its own subject (the envelope is fine), but the line is not an audit line.
    await publish(line('oscar', 'perhaps'));
    await publish(line('peggy', 'success'));
    await eventually(async () => (await gateway.http<{ items: AuditLine[] }>('GET', '/admin/audit?target=peggy')).body.items.length === 1, 10_000);
    expect((await gateway.http<{ items: AuditLine[] }>('GET', '/admin/audit?target=oscar')).body.items).toEqual([]);
    const letters = (await gateway.http<DeadLetterPage>('GET', '/admin/dead-letters')).body.items;
    const letter = letters.find((l) => l.payload.includes('oscar'));
    expect(letter).toMatchObject({ service: 'auth-server', subject: AUDIT_RECORDED['outbound-token-broker'], reason: 'malformed', deliveries: 1 });
    expect(letter?.detail).toMatch(/^data: .*outcome/);
    expect(letters.some((l) => l.payload.includes('peggy'))).toBe(false);
  });

  it('a live consumer drops it: a revocation with a reason no contract names refuses nothing, the next one is applied', async () => {
    const kept = await adminToken(gateway.url);
    const revoked = await adminToken(gateway.url);
    expect(await status(kept)).toBe(200);
    const now = Date.now();
    // Client-wide for every admin session, and within bounds: applied, it would refuse `kept` too.
    await publishRevocation({
      clientId: 'tessera-admin',
      reason: 'because',
      revokedAt: new Date(now).toISOString(),
      expiresAt: new Date(now + 60_000).toISOString(),
    });
    await publishRevocation({
      jti: jtiOf(revoked),
      clientId: 'tessera-admin',
      reason: 'admin',
      revokedAt: new Date().toISOString(),
      expiresAt: new Date(now + 60_000).toISOString(),
    });
    await eventually(async () => (await status(revoked)) === 401);
    expect(await status(kept)).toBe(200);
  });
});
