import { generateKeyPairSync } from 'node:crypto';
import { Writable } from 'node:stream';
import { createLogger } from '@tessera/observability';
import { eventually, FakeOAuthProvider } from '@tessera/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { TEST_BROKER_OPTIONS } from '../support/broker-options.js';
import { brokerHelpers } from '../support/broker-helpers.js';
import { startTestPlatform, type TestPlatform } from '../support/test-platform.js';

/**
 * A signing key never reaches a log line, at the most talkative level, through create, first fetch, refresh and a
 * refusal by the provider. Its own platform: the shared one's logs are not the file's to read.
 */
const lines: string[] = [];
let t: TestPlatform;
let provider: FakeOAuthProvider;
beforeAll(async () => {
  provider = await new FakeOAuthProvider().start();
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  t = await startTestPlatform({ broker: TEST_BROKER_OPTIONS, logger: createLogger({ level: 'trace', destination }) });
});
afterAll(async () => {
  await t?.stop();
  await provider?.stop();
});

it('no log line holds the private key or a signed assertion', async () => {
  const http = brokerHelpers(t.url, Buffer.from(t.environment.TESSERA_ENCRYPTION_KEY, 'base64')).http;
  const pem = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  const created = await http<{ id: string; jwksUrl: string }>('POST', '/admin/providers', {
    name: 'logged-google',
    serviceAccount: {
      type: 'service_account',
      client_email: 'robot@p.iam.gserviceaccount.com',
      private_key: pem,
      private_key_id: 'k1',
      token_uri: `${provider.url}/token`,
    },
  });
  expect(created.status, created.text).toBe(201);
  provider.behaviour.jwksUrl = created.body.jwksUrl;
  const token = await http<{ id: string }>('POST', '/admin/tokens', { name: 'logged-google-token', providerId: created.body.id });
  await eventually(async () => (await http<{ state: string }>('GET', `/admin/tokens/${token.body.id}`)).body.state === 'valid');
  // A refusal that echoes what it was sent: the broker's message and logs must not carry the assertion on.
  provider.behaviour.failNext = { count: 1, status: 400, body: JSON.stringify({ error: 'invalid_grant', error_description: 'bad assertion' }) };
  expect((await http<{ state: string }>('POST', `/admin/tokens/${token.body.id}/refresh`)).body.state).toBe('refresh_failed');
  const bad = await http('POST', '/admin/providers', {
    name: 'logged-bad',
    grantType: 'jwt_bearer',
    clientId: 'x',
    tokenUrl: `${provider.url}/token`,
    assertionKey: `${pem.slice(0, 200)}`,
  });
  expect(bad.status).toBe(400);

  const assertions = provider.tokenRequests.map((r) => r.params.assertion).filter(Boolean);
  expect(assertions.length).toBeGreaterThan(0);
  // The capture does see the requests that carried the key.
  expect(lines.some((line) => line.includes('/admin/providers'))).toBe(true);
  const body = pem.split('\n')[5];
  for (const line of lines) {
    expect(line).not.toContain(body);
    expect(line).not.toContain('PRIVATE KEY');
    for (const assertion of assertions) expect(line).not.toContain(assertion.split('.')[2]);
  }
});
