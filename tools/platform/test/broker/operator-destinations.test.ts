import { createTestDatabase, FakeOAuthProvider, type TestDatabase } from '@tessera/testing';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createAdmin, signIn } from '../support/admin-api.js';
import { startSecuredNats, startSecuredPlatform, type SecuredNats, type SecuredPlatform } from '../support/secured-nats.js';
import { ADMIN_PASSWORD, basic, form, json } from '../support/test-platform.js';

/** Whatever reaches it, recorded: the host an operator would like the platform's secrets sent to. */
class RecordingServer {
  readonly requests: { method: string; url: string; authorization?: string; body: string }[] = [];
  private server?: Server;
  port = 0;

  async start(host: string): Promise<this> {
    this.server = createServer((request: IncomingMessage, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        this.requests.push({ method: request.method ?? '', url: request.url ?? '', authorization: request.headers.authorization, body });
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: 'recorded', expires_in: 3600 }));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, host, resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/**
 * Operators manage outbound tokens but choose no secret's destination, on a secured bus of the test's own: not a
 * baseUrl, not a variable that fills a provider URL's host, not a deleted token's name given to another provider.
 */
describe('operators and where stored secrets go', () => {
  let nats: SecuredNats;
  let db: TestDatabase;
  let p: SecuredPlatform;
  let fake: FakeOAuthProvider;
  let recorder: RecordingServer;
  let owner: string;
  let operator: string;

  beforeAll(async () => {
    nats = await startSecuredNats({ prefixes: ['dest'] });
    db = await createTestDatabase();
    [fake, recorder] = await Promise.all([new FakeOAuthProvider().start(), new RecordingServer().start('127.0.0.2')]);
    p = await startSecuredPlatform(nats, { prefix: 'dest', db, env: { TESSERA_BUS_TIMEOUT_MS: '15000' } });
    owner = (await signIn(p.url, 'admin', ADMIN_PASSWORD)).access_token;
    operator = (await createAdmin(p.url, owner, 'otto', 'operator')).token;
  });
  afterAll(async () => {
    await p?.stop();
    await nats?.stop();
    await Promise.all([fake?.stop(), recorder?.stop(), db?.drop()]);
  });

  const call = (token: string, method: string, path: string, body?: unknown) => api(p.url, token, method, path, body);
  const provider = async (body: Record<string, unknown>) => {
    const response = await call(owner, 'POST', '/admin/providers', { grantType: 'client_credentials', clientId: 'platform-client', ...body });
    expect(response.status, await response.clone().text()).toBe(201);
    return json<{ id: string }>(response);
  };
  const tokenNames = async () => (await json<{ items: { name: string }[] }>(await call(owner, 'GET', '/admin/tokens'))).items.map((t) => t.name);

  it("an operator cannot set a variable that fills the provider's token URL host: the client secret never reaches that host", async () => {
    const tenanted = await provider({ name: 'tenanted', clientSecret: 'the provider client secret', tokenUrl: `http://{{tenant}}:${recorder.port}/token` });
    const create = await call(operator, 'POST', '/admin/tokens', { name: 'tenant-token', providerId: tenanted.id, variables: { tenant: '127.0.0.2' } });
    expect(create.status).toBe(403);
    expect((await json<{ message: string }>(create)).message).toContain('variables.tenant');
    expect(await tokenNames()).not.toContain('tenant-token');

    // On an admin's token, re-pointing the host by PATCH is refused too; a variable in a path would not be.
    const legit = await call(owner, 'POST', '/admin/tokens', { name: 'tenant-legit', providerId: tenanted.id, variables: { tenant: '127.0.0.1' } });
    expect(legit.status).toBe(201);
    const { id } = await json<{ id: string }>(legit);
    expect((await call(operator, 'PATCH', `/admin/tokens/${id}`, { variables: { tenant: '127.0.0.2' } })).status).toBe(403);
    expect((await json<{ variables: Record<string, string> }>(await call(owner, 'GET', `/admin/tokens/${id}`))).variables).toEqual({ tenant: '127.0.0.1' });
    expect(recorder.requests).toEqual([]);
  });

  it('an operator cannot give a token a baseUrl, nor re-create a deleted name from another provider: callers are not carried elsewhere', async () => {
    const crmProvider = await provider({ name: 'crm-idp', clientSecret: 'crm secret', tokenUrl: `${fake.url}/token` });
    const otherProvider = await provider({ name: 'other-idp', clientSecret: 'other secret', tokenUrl: `${fake.url}/token` });
    const crm = await call(owner, 'POST', '/admin/tokens', { name: 'crm', providerId: crmProvider.id, baseUrl: `${fake.url}/api` });
    expect(crm.status).toBe(201);
    const caller = await json<{ applicationId: string; appSecret: string }>(
      await call(owner, 'POST', '/admin/integrations', { name: 'crm-caller', permissions: ['*:tokens/crm=proxy', '*:tokens/crm=read'] }),
    );
    const { body, headers } = form({ grant_type: 'client_credentials' });
    const callerToken = (
      await json<{ access_token: string }>(
        await fetch(`${p.url}/oauth/token`, { method: 'POST', body, headers: { ...headers, authorization: basic(caller.applicationId, caller.appSecret) } }),
      )
    ).access_token;

    expect((await call(operator, 'DELETE', `/admin/tokens/${(await json<{ id: string }>(crm)).id}`)).status).toBe(204);
    const elsewhere = `http://127.0.0.2:${recorder.port}`;
    const pointed = await call(operator, 'POST', '/admin/tokens', { name: 'crm', providerId: crmProvider.id, baseUrl: elsewhere });
    expect(pointed.status).toBe(403);
    expect((await json<{ message: string }>(pointed)).message).toContain('baseUrl');
    const swapped = await call(operator, 'POST', '/admin/tokens', { name: 'crm', providerId: otherProvider.id });
    expect(swapped.status).toBe(403);
    expect((await json<{ message: string }>(swapped)).message).toContain('"crm"');
    expect(await tokenNames()).not.toContain('crm');

    // The caller's next call goes nowhere new.
    const proxied = await fetch(`${p.url}/proxy/crm/records?q=1`, { method: 'POST', headers: { authorization: `Bearer ${callerToken}` }, body: 'caller data' });
    expect(proxied.status).toBe(404);
    expect(recorder.requests).toEqual([]);

    // The same provider again is the same destination: an operator may bring the name back.
    expect((await call(operator, 'POST', '/admin/tokens', { name: 'crm', providerId: crmProvider.id })).status).toBe(201);
  });
});
