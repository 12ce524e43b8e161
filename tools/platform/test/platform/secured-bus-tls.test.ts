import { connect as natsConnect, nkeyAuthenticator } from '@nats-io/transport-node';
import { busCredentialFile } from '@tessera/config';
import { NatsBus } from '@tessera/messaging';
import { createTestDatabase, TEST_NATS_URL, testLogger, type TestDatabase } from '@tessera/testing';
import { readFile, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestCertificates } from '@tessera/testing';
import { makeTestCertificates, startSecuredNats, startSecuredPlatform, type SecuredNats, type SecuredPlatform } from '../support/secured-nats.js';

/** What the server does with a client that speaks plain NATS protocol, without TLS: its answer, and who hung up. */
function plaintextAttempt(port: number): Promise<{ answer: string; closedByServer: boolean }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    let closedByServer = true;
    socket.on('data', (chunk) => {
      answer += chunk;
      if (answer.includes('INFO')) socket.write('CONNECT {"verbose":false}\r\nPING\r\n');
    });
    socket.on('close', () => resolve({ answer, closedByServer }));
    socket.on('error', () => undefined);
    socket.on('timeout', reject);
    setTimeout(() => {
      closedByServer = false;
      socket.destroy();
    }, 3_000);
  });
}

let certs: TestCertificates;
let nats: SecuredNats;
let db: TestDatabase;
let platform: SecuredPlatform;

beforeAll(async () => {
  certs = await makeTestCertificates();
  nats = await startSecuredNats({ prefixes: ['tls'], tls: { certFile: certs.serverCert, keyFile: certs.serverKey, clientCaFile: certs.ca } });
  db = await createTestDatabase();
  platform = await startSecuredPlatform(nats, {
    prefix: 'tls',
    db,
    env: { NATS_TLS_CA: certs.ca, NATS_TLS_CERT: certs.clientCert, NATS_TLS_KEY: certs.clientKey },
  });
});
afterAll(async () => {
  await platform?.stop();
  await nats?.stop();
  await db?.drop();
  await rm(certs.dir, { recursive: true, force: true });
});

describe('the bus over TLS (NATS_TLS_CA, NATS_TLS_CERT, NATS_TLS_KEY)', () => {
  it('the platform connects over TLS with its credentials and works', async () => {
    expect((await fetch(`${platform.url}/health/ready`)).status).toBe(200);
    expect((await platform.http('POST', '/admin/instances', { name: 'acme', baseUrl: 'https://acme.example.com' })).status).toBe(201);
  });

  it('refuses a client without TLS, one that does not trust the CA, and one without a client certificate', async () => {
    const plaintext = await plaintextAttempt(nats.port);
    expect(plaintext.answer).toContain('"tls_required":true');
    expect(plaintext.answer).not.toContain('PONG');
    expect(plaintext.closedByServer).toBe(true);
    const seed = new TextEncoder().encode((await readFile(busCredentialFile(nats.credentials, 'tls', 'gateway'), 'utf8')).trim());
    const attempt = (tls: Record<string, string>) =>
      natsConnect({ servers: `127.0.0.1:${nats.port}`, authenticator: nkeyAuthenticator(seed), reconnect: false, tls });
    await expect(attempt({})).rejects.toThrow(/certificate|self.signed|verify/i);
    await expect(attempt({ caFile: certs.ca })).rejects.toThrow();
    const ok = await attempt({ caFile: certs.ca, certFile: certs.clientCert, keyFile: certs.clientKey });
    await ok.close();
  });

  it('a service given NATS_TLS_CA will not talk to a NATS server without TLS', async () => {
    const bus = new NatsBus({ servers: TEST_NATS_URL, subjectPrefix: 'x', name: 'gateway', logger: testLogger(), security: { tls: { caFile: certs.ca } } });
    await expect(bus.connect()).rejects.toThrow(/tls/i);
  });
});
