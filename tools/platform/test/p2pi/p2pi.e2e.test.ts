import { connect } from '@nats-io/transport-node';
import { BrokerClient } from '@tessera/broker-client';
import { Subjects } from '@tessera/contracts';
import { NatsBus, type Bus } from '@tessera/messaging';
import { eventually, testLogger } from '@tessera/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, basic, form, json, startTestPlatform, type TestPlatform } from '../support/test-platform.js';
import { AdminBrowser } from '../support/admin-browser.js';

/** Two complete platforms: Instance 1 calls Instance 2 with OAuth instead of a password (the P2PI seed). */
let one: TestPlatform;
let two: TestPlatform;
const admin: Record<string, string> = {};

async function api<T = Record<string, unknown>>(
  platform: TestPlatform,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T; headers: Headers }> {
  const key = platform.url;
  admin[key] ??= await platform.adminToken();
  const response = await fetch(`${platform.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${admin[key]}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T, headers: response.headers };
}

beforeAll(async () => {
  [one, two] = await Promise.all([startTestPlatform(), startTestPlatform()]);
});
afterAll(async () => {
  await Promise.all([one?.stop(), two?.stop()]);
});

describe('platform-to-platform trust over OAuth, across two running platforms', () => {
  let integration: { id: string; applicationId: string; appSecret: string; redirectUris: string[] };
  let instanceTwo: { id: string };

  it('sets up: the inbound client app on Instance 2, the outbound client app and the instance record on Instance 1', async () => {
    // Instance 2 knows Instance 1 and makes it an integration (P6: each instance is an integration).
    const oneOnTwo = await api<{ id: string }>(two, 'POST', '/admin/instances', { name: 'instance-1', baseUrl: one.url });
    const created = await api<typeof integration>(two, 'POST', `/admin/instances/${oneOnTwo.body.id}/integration`);
    expect(created.status).toBe(201);
    integration = created.body;
    expect(integration.redirectUris).toEqual([`${one.url}/oauth/callback`]);

    // Instance 1: the instance record without credentials, then the outbound client app discovered from Instance 2's metadata.
    const registered = await api<{ id: string; auth: unknown }>(one, 'POST', '/admin/instances', { name: 'instance-2', baseUrl: two.url });
    expect(registered.status, JSON.stringify(registered.body)).toBe(201);
    expect(registered.body.auth).toEqual({ type: 'none' });
    instanceTwo = registered.body;
    const clientApp = await api<{ id: string; authorizationUrl: string; tokenUrl: string; revocationUrl: string; hasClientSecret: boolean }>(
      one,
      'POST',
      `/admin/instances/${instanceTwo.id}/client-app`,
      { clientId: integration.applicationId, clientSecret: integration.appSecret },
    );
    expect(clientApp.status).toBe(201);
    expect(clientApp.body).toMatchObject({
      authorizationUrl: `${two.url}/oauth/authorize`,
      tokenUrl: `${two.url}/oauth/token`,
      revocationUrl: `${two.url}/oauth/revoke`,
      hasClientSecret: true,
    });
    expect(JSON.stringify(clientApp.body)).not.toContain(integration.appSecret);

    // "Use OAuth-based authentication" with that client app.
    expect(
      (await api(one, 'PATCH', `/admin/instances/${instanceTwo.id}`, { auth: { type: 'oauth', clientAppId: '6f9619ff-8b86-4d11-b42d-00c04fc964ff' } })).status,
    ).toBe(400);
    const oauth = await api(one, 'PATCH', `/admin/instances/${instanceTwo.id}`, { auth: { type: 'oauth', clientAppId: clientApp.body.id } });
    expect(oauth.body).toMatchObject({ auth: { type: 'oauth', clientAppId: clientApp.body.id } });
  });

  it('runs the "request" link through Instance 2\'s login and consent pages and stores the token on the record', async () => {
    const { body, headers } = await api<{ authorizationUrl: string }>(one, 'POST', `/admin/instances/${instanceTwo.id}/authorize`);
    const authorizationUrl = new URL(body.authorizationUrl);
    expect(authorizationUrl.origin + authorizationUrl.pathname).toBe(`${two.url}/oauth/authorize`);
    expect(authorizationUrl.searchParams.get('code_challenge_method')).toBe('S256');

    const browser = new AdminBrowser();
    browser.keep(headers);
    const loginPage = await (await browser.get(authorizationUrl.toString())).text();
    expect(loginPage).toContain('Sign in to Tessera');
    const consentPage = await (await browser.submit(two.url, loginPage, { action: 'login', username: 'admin', password: ADMIN_PASSWORD })).text();
    expect(consentPage).toContain('instance-1:users=read');
    const approved = await browser.submit(two.url, consentPage, { action: 'approve' });
    expect(approved.status).toBe(303);
    const callback = new URL(approved.headers.get('location')!);
    expect(callback.origin + callback.pathname).toBe(`${one.url}/oauth/callback`);
    const result = await browser.get(callback.toString());
    expect(result.status).toBe(200);

    const record = await eventually(async () => {
      const { body: instance } = await api<{ token: { state: string; scope: string; expiresAt: string; tokenId: string } | null }>(
        one,
        'GET',
        `/admin/instances/${instanceTwo.id}`,
      );
      return instance.token?.state === 'valid' ? instance : undefined;
    });
    expect(record.token!.scope).toBe('*:orgs=read instance-1:users=read');
    expect(Date.parse(record.token!.expiresAt)).toBeGreaterThan(Date.now());
    await one.events.waitFor(
      (e) => e.type === 'tessera.events.registry.instance.authorized' && (e.data as { instanceId: string }).instanceId === instanceTwo.id,
    );
  });

  it('calls Instance 2 as Instance 1 through the proxy, also after a forced refresh', async () => {
    const whoami = await api<{ clientId: string; sub: string; scope: string[] }>(one, 'GET', '/proxy/instances/instance-2/api/whoami');
    expect(whoami.status).toBe(200);
    expect(whoami.body).toMatchObject({ clientId: integration.applicationId, sub: 'admin:admin', scope: ['*:orgs=read', 'instance-1:users=read'] });

    // The same call from a service embedding the client library, over Instance 1's bus.
    const bus = new NatsBus({ servers: one.config.natsUrl!, subjectPrefix: one.config.subjectPrefix, name: 'p2pi-client', logger: testLogger() });
    await bus.connect();
    try {
      const viaLibrary = await new BrokerClient({ bus, service: 'p2pi-test' }).fetchInstance('instance-2', '/api/whoami');
      expect(viaLibrary.status).toBe(200);
      expect(await viaLibrary.json()).toMatchObject({ clientId: integration.applicationId });
    } finally {
      await bus.close();
    }

    const { body: instance } = await api<{ token: { tokenId: string } }>(one, 'GET', `/admin/instances/${instanceTwo.id}`);
    const refreshed = await api(one, 'POST', `/admin/tokens/${instance.token.tokenId}/refresh`);
    expect(refreshed.status).toBe(200);
    await one.events.waitFor((e) => e.type === 'tessera.events.broker.token.refreshed' && (e.data as { tokenId: string }).tokenId === instance.token.tokenId);
    expect((await api(one, 'GET', '/proxy/instances/instance-2/api/whoami')).status).toBe(200);
  });

  it('asks the bus once for the instance and once for its token (by id) before the first upstream byte, at the proxy and in the client library', async () => {
    // The gateway's requests, seen on Instance 1's NATS: subjects of the registry and the broker, health pings aside.
    const nats = await connect({ servers: one.config.natsUrl!.split(',') });
    const prefix = `${one.config.subjectPrefix}.`;
    const seen: string[] = [];
    const subscription = nats.subscribe(`${prefix}tessera.>`, {
      callback: (_error, message) => {
        const subject = message.subject.slice(prefix.length);
        if (message.reply && /^tessera\.(registry|broker)\./.test(subject) && !subject.endsWith('.ping')) seen.push(subject);
      },
    });
    await nats.flush();
    try {
      expect((await api(one, 'GET', '/proxy/instances/instance-2/api/whoami')).status).toBe(200);
      await nats.flush();
      expect(seen).toEqual([Subjects.registry.instance.connection, Subjects.broker.token.access]);
    } finally {
      subscription.unsubscribe();
      await nats.close();
    }

    // The client library, on a bus that counts its requests.
    const bus = new NatsBus({ servers: one.config.natsUrl!, subjectPrefix: one.config.subjectPrefix, name: 'p2pi-client', logger: testLogger() });
    await bus.connect();
    const asked: string[] = [];
    const counting = new Proxy(bus, {
      get: (target, key, receiver) =>
        key === 'request'
          ? (subject: string, ...rest: unknown[]) => (asked.push(subject), (target.request as (...a: unknown[]) => unknown).call(target, subject, ...rest))
          : Reflect.get(target, key, receiver),
    }) as Bus;
    try {
      expect((await new BrokerClient({ bus: counting, service: 'p2pi-count' }).fetchInstance('instance-2', '/api/whoami')).status).toBe(200);
      expect(asked).toEqual([Subjects.registry.instance.connection, Subjects.broker.token.access]);
    } finally {
      await bus.close();
    }
  });

  it('reaches the P2PI token only through instance-2:p2pi permissions, never through those meant for ordinary tokens', async () => {
    const { body: instance } = await api<{ token: { tokenId: string } }>(one, 'GET', `/admin/instances/${instanceTwo.id}`);
    const { body: token } = await api<{ name: string; platformInstance: string }>(one, 'GET', `/admin/tokens/${instance.token.tokenId}`);
    expect(token.platformInstance).toBe('instance-2');
    const as = async (permissions: string[], path: string) => {
      const created = await api<{ applicationId: string; appSecret: string }>(one, 'POST', '/admin/integrations', {
        name: `caller-${Math.random().toString(36).slice(2)}`,
        permissions,
      });
      const issued = await fetch(`${one.url}/oauth/token`, {
        method: 'POST',
        ...form({ grant_type: 'client_credentials' }),
        headers: { ...form({}).headers, authorization: basic(created.body.applicationId, created.body.appSecret) },
      });
      const { access_token: accessToken } = await json<{ access_token: string }>(issued);
      return (await fetch(`${one.url}${path}`, { headers: { authorization: `Bearer ${accessToken}` } })).status;
    };
    // The raw token would let its holder act as Instance 1 on Instance 2 anywhere: no ordinary-token wildcard reaches it.
    expect(await as(['*:tokens=read', '*:tokens=proxy'], `/tokens/${token.name}`)).toBe(403);
    expect(await as(['*:tokens=read', '*:tokens=proxy'], `/proxy/${token.name}/api/whoami`)).toBe(403);
    expect(await as(['*:tokens=read', '*:tokens=proxy'], '/proxy/instances/instance-2/api/whoami')).toBe(403);
    expect(await as([`*:tokens/${token.name}=read`], `/tokens/${token.name}`)).toBe(403);
    // A P2PI permission for another instance gets past the gateway's first look; the broker, which knows the token, refuses.
    expect(await as(['other:p2pi=read', 'other:p2pi=proxy'], `/tokens/${token.name}`)).toBe(403);
    expect(await as(['other:p2pi=proxy'], `/proxy/${token.name}/api/whoami`)).toBe(403);
    // …and does not tell such a caller whether a name exists.
    expect(await as(['other:p2pi=read'], '/tokens/no-such-token')).toBe(403);
    // The instance's own permission: the proxy action calls, but reading the raw token needs the read action.
    expect(await as(['instance-2:p2pi=proxy'], '/proxy/instances/instance-2/api/whoami')).toBe(200);
    expect(await as(['instance-2:p2pi=proxy'], `/proxy/${token.name}/api/whoami`)).toBe(200);
    expect(await as(['instance-2:p2pi=proxy'], `/tokens/${token.name}`)).toBe(403);
    expect(await as(['instance-2:p2pi=read'], `/tokens/${token.name}`)).toBe(200);
  });

  it('Instance 2 shows the token it issued to Instance 1 and revokes it; Instance 1 marks the record revoked', async () => {
    const families = await api<{ items: { id: string; grantType: string }[] }>(two, 'GET', `/admin/integrations/${integration.id}/tokens`);
    expect(families.body.items).toHaveLength(1);
    expect(families.body.items[0].grantType).toBe('authorization_code');
    expect((await api(two, 'DELETE', `/admin/integrations/${integration.id}/tokens/${families.body.items[0].id}`)).status).toBe(204);

    // The next call meets Instance 2's 401, the refresh is refused (the grant is gone), and the record says so.
    await eventually(async () => (await api(one, 'GET', '/proxy/instances/instance-2/api/whoami')).status !== 200, 3000);
    const record = await eventually(async () => {
      const { body: instance } = await api<{ token: { state: string; lastMessage: string } | null }>(one, 'GET', `/admin/instances/${instanceTwo.id}`);
      return instance.token?.state === 'revoked' ? instance : undefined;
    });
    expect(record.token!.lastMessage).toMatch(/refused/);
    await one.events.waitFor(
      (e) => e.type === 'tessera.events.registry.instance.deauthorized' && (e.data as { instanceId: string }).instanceId === instanceTwo.id,
    );
  });
});
