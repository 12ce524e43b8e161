import { FakeOAuthProvider } from '@tessera/testing';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startBrokerPlatform, type BrokerPlatform } from '../support/broker-platform.js';

/**
 * The egress policy seen from the outside: a distributed platform allowed to reach only the
 * fake provider and one metadata server on loopback. Everything else on this machine — NATS, PostgreSQL, a closed
 * port, an internal web page — must look the same from every feature that makes a request: refused.
 */
let p: BrokerPlatform;
let fake: FakeOAuthProvider;
let internal: Server;
let internalUrl = '';
let internalHits = 0;
let metadata: Server;
let metadataUrl = '';
let metadataBody: (issuer: string) => object = () => ({});

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  fake = await new FakeOAuthProvider().start();
  internal = createServer((_req, res) => (internalHits++, res.end('<h1>internal admin page</h1>')));
  internalUrl = await listen(internal);
  metadata = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(metadataBody(metadataUrl))));
  metadataUrl = await listen(metadata);
  const allow = [fake.url, metadataUrl].map((url) => new URL(url).host).join(',');
  p = await startBrokerPlatform({ env: { TESSERA_EGRESS_ALLOW: allow } });
});
afterAll(async () => {
  await p?.stop();
  await fake?.stop();
  for (const server of [internal, metadata]) {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
  }
});

interface Step {
  outcome: string;
  status: number | null;
}
async function providerTest(name: string, tokenUrl: string): Promise<{ ok: boolean; steps: Step[]; answer: unknown }> {
  const created = await p.http<{ id: string }>('POST', '/admin/providers', {
    name,
    grantType: 'client_credentials',
    clientId: 'c',
    clientSecret: 'provider-secret',
    tokenUrl,
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return (await p.http<{ ok: boolean; steps: Step[]; answer: unknown }>('POST', `/admin/providers/${created.body.id}/test`, {})).body;
}

describe('egress policy', () => {
  it('the provider test gives the same answer for NATS, PostgreSQL, a closed port and an internal page: not allowed', async () => {
    const closed = await freePort();
    const targets = [
      `http://127.0.0.1:4222/token`,
      `http://127.0.0.1:5432/token`,
      `http://127.0.0.1:${closed}/token`,
      `${internalUrl}/token`,
      `http://localhost:${new URL(internalUrl).port}/token`,
    ];
    const outcomes: string[] = [];
    for (const [i, url] of targets.entries()) {
      const result = await providerTest(`probe-${i}`, url);
      expect(result.ok).toBe(false);
      expect(result.answer).toBeNull();
      expect(result.steps[0].status).toBeNull();
      outcomes.push(result.steps[0].outcome.replace(/(127\.0\.0\.1|localhost):\d+/, 'HOST:PORT'));
    }
    expect(new Set(outcomes).size).toBe(1);
    expect(outcomes[0]).toMatch(/not allowed by the egress policy$/);
    expect(internalHits).toBe(0);
  });

  it('never reaches the cloud metadata address', async () => {
    const result = await providerTest('metadata', 'http://169.254.169.254/latest/meta-data/iam/security-credentials/');
    expect(result.steps[0].outcome).toMatch(/not allowed by the egress policy$/);
  });

  it('refuses a token endpoint and a proxy target it may not reach, and they receive nothing', async () => {
    const internalPort = new URL(internalUrl).port;
    const blocked = await p.http<{ id: string }>('POST', '/admin/providers', {
      name: 'blocked',
      grantType: 'client_credentials',
      clientId: 'c',
      clientSecret: 'provider-secret',
      tokenUrl: `http://localhost:${internalPort}/token`,
    });
    await p.http('POST', '/admin/tokens', { name: 'blocked-token', providerId: blocked.body.id });
    const refused = await p.http<{ message: string }>('GET', '/tokens/blocked-token');
    expect(refused.status).toBe(503);
    expect(refused.body.message).toMatch(/not allowed by the egress policy/);

    const allowed = await p.http<{ id: string }>('POST', '/admin/providers', {
      name: 'allowed',
      grantType: 'client_credentials',
      clientId: 'c',
      clientSecret: 'provider-secret',
      tokenUrl: `${fake.url}/token`,
    });
    await p.http('POST', '/admin/tokens', { name: 'to-internal', providerId: allowed.body.id, baseUrl: `${internalUrl}/api` });
    const proxied = await fetch(`${p.url}/proxy/to-internal/x`, { headers: await p.authHeaders() });
    expect(proxied.status).toBe(502);
    expect(((await proxied.json()) as { message: string }).message).toMatch(/not allowed by the egress policy/);
    expect(internalHits).toBe(0);
  });

  it("P2PI discovery: metadata endpoints must be on the issuer's origin, and the issuer must be reachable", async () => {
    const instance = await p.http<{ id: string }>('POST', '/admin/instances', { name: 'peer', baseUrl: metadataUrl });
    expect(instance.status).toBe(201);
    const base = (issuer: string) => ({
      issuer,
      authorization_endpoint: `${issuer}/oauth/authorize`,
      token_endpoint: `${issuer}/oauth/token`,
      revocation_endpoint: `${issuer}/oauth/revoke`,
    });
    for (const [field, value] of [
      ['token_endpoint', 'http://127.0.0.1:5432/token'],
      ['revocation_endpoint', `${fake.url}/revoke`],
      ['authorization_endpoint', 'http://169.254.169.254/x'],
    ]) {
      metadataBody = (issuer) => ({ ...base(issuer), [field]: value });
      const refused = await p.http<{ fields: Record<string, string[]> }>('POST', `/admin/instances/${instance.body.id}/client-app`, {
        clientId: 'peer-client',
        clientSecret: 'peer-secret',
      });
      expect(refused.status, field).toBe(400);
      expect(refused.body.fields.issuer.join(' '), field).toContain(field);
    }
    metadataBody = base;
    expect((await p.http('POST', `/admin/instances/${instance.body.id}/client-app`, { clientId: 'peer-client', clientSecret: 'peer-secret' })).status).toBe(
      201,
    );

    const unreachable = await p.http<{ id: string }>('POST', '/admin/instances', { name: 'peer-internal', baseUrl: internalUrl });
    const refused = await p.http<{ message: string }>('POST', `/admin/instances/${unreachable.body.id}/client-app`, {
      clientId: 'peer-client',
      clientSecret: 'peer-secret',
    });
    expect(refused.status).toBe(400);
    expect(refused.body.message).toMatch(/not allowed by the egress policy/);
    expect(internalHits).toBe(0);
  });
});
