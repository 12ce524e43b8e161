import { connect, nkeyAuthenticator, type NatsConnection } from '@nats-io/transport-node';
import { busCredentialFile } from '@tessera/config';
import { AUDIT_RECORDED, type AuditPage, type DeadLetterPage } from '@tessera/contracts';
import { createTestDatabase, eventually, type TestDatabase } from '@tessera/testing';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSecuredNats, startSecuredPlatform, type SecuredNats, type SecuredPlatform } from '../support/secured-nats.js';

/**
 * Messages a durable consumer can never process, published with a service's own credential on a secured bus of this
 * test's own: they are set aside once each, and the events after them still arrive.
 */
let nats: SecuredNats;
let db: TestDatabase;
let platform: SecuredPlatform;
let broker: NatsConnection;

beforeAll(async () => {
  nats = await startSecuredNats({ prefixes: ['alpha'] });
  db = await createTestDatabase();
  platform = await startSecuredPlatform(nats, {
    prefix: 'alpha',
    db,
    env: { TESSERA_ENCRYPTION_KEY: randomBytes(32).toString('base64'), TESSERA_BUS_TIMEOUT_MS: '15000' },
  });
  const seed = (await readFile(busCredentialFile(nats.credentials, 'alpha', 'outbound-token-broker'), 'utf8')).trim();
  broker = await connect({ servers: nats.url, authenticator: nkeyAuthenticator(new TextEncoder().encode(seed)), inboxPrefix: '_INBOX.outbound-token-broker' });
});
afterAll(async () => {
  await broker?.close();
  await platform?.stop();
  await nats?.stop();
  await db?.drop();
});

describe('poison events on the secured bus', () => {
  it('1,005 envelopes without an id on audit.recorded are set aside, later admin actions still reach the audit log', async () => {
    // Signed in first: an argon2id sign-in on a loaded machine should not race the consumer's work.
    expect((await platform.http('GET', '/admin/integrations')).status).toBe(200);
    const wire = `alpha.${AUDIT_RECORDED['outbound-token-broker']}`;
    const line = {
      action: 'provider.create',
      outcome: 'success',
      target: { type: 'provider' },
      actor: null,
      address: null,
      requestId: null,
    };
    for (let n = 0; n < 1_005; n++)
      broker.publish(wire, JSON.stringify({ type: AUDIT_RECORDED['outbound-token-broker'], occurredAt: new Date().toISOString(), data: line }));
    broker.publish(wire, 'not json');
    await broker.flush();

    const created = await platform.http<{ id: string }>('POST', '/admin/integrations', { name: 'after-the-poison', permissions: ['crm:contacts=read'] });
    expect(created.status).toBe(201);
    await eventually(async () => {
      const audit = await platform.http<AuditPage>('GET', '/admin/audit?action=integration.create');
      return audit.body.items.some((entry) => entry.target.id === created.body.id);
    }, 20_000);

    await eventually(async () => Number((await db.query('SELECT count(*) AS n FROM auth.dead_letter'))[0].n) === 1_006, 20_000);
    const letters = await platform.http<DeadLetterPage>('GET', '/admin/dead-letters?limit=1000');
    expect(letters.status).toBe(200);
    expect(letters.body.items).toHaveLength(1_000);
    expect(
      letters.body.items.every((l) => l.service === 'auth-server' && l.reason === 'malformed' && l.subject === AUDIT_RECORDED['outbound-token-broker']),
    ).toBe(true);
    expect(letters.body.items.some((l) => l.detail === 'not JSON')).toBe(true);
  });
});
