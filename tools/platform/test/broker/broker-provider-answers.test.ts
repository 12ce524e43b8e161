import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedPlatform, type SharedPlatform } from '../support/shared-platform.js';

/**
 * A provider's answer trusted no further than it should be: a header-injecting token_type is
 * refused with a clear lastMessage, and a provider that echoes what it was sent into its errors never gets those
 * secrets into a message, a view or a response.
 */
const CLIENT_SECRET = 'client-secret-Zq81xW';
const PASSWORD = 'correct horse battery staple';
const INJECTED_TOKEN = 'at-injected-7f3a9c';
let p: SharedPlatform;
let provider: Server;
let providerUrl = '';

beforeAll(async () => {
  provider = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const params = new URLSearchParams(body);
      const sentSecret = Buffer.from((req.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString();
      const json = (status: number, value: object) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
      if (req.url === '/inject') return json(200, { access_token: INJECTED_TOKEN, token_type: 'Bearer\r\nX-Injected: yes', expires_in: 3600 });
      if (req.url === '/forever') return json(200, { access_token: INJECTED_TOKEN, token_type: 'Bearer', expires_in: 1e300 });
      // Echoes everything it was sent: the password, the client credentials as they came in the header.
      if (req.url === '/echo-json')
        return json(400, {
          error: 'invalid_grant',
          error_description: `user ${params.get('username')} with password "${params.get('password')}" and client ${sentSecret} refused`,
        });
      return res
        .writeHead(500, { 'content-type': 'text/html' })
        .end(`<html><pre>${body}\n${sentSecret}\n${encodeURIComponent(params.get('password') ?? '')}</pre></html>`);
    });
  });
  await new Promise<void>((resolve) => provider.listen(0, '127.0.0.1', resolve));
  providerUrl = `http://127.0.0.1:${(provider.address() as AddressInfo).port}`;
  p = await sharedPlatform();
});
afterAll(async () => {
  await p?.stop();
  provider?.closeAllConnections();
  await new Promise((resolve) => provider?.close(resolve));
});

async function tokenOn(path: string, grantType: 'client_credentials' | 'password', name: string): Promise<string> {
  const created = await p.http<{ id: string }>('POST', '/admin/providers', {
    name: `p-${name}`,
    grantType,
    clientId: 'client-one',
    clientSecret: CLIENT_SECRET,
    tokenUrl: `${providerUrl}${path}`,
  });
  const token = await p.http<{ id: string }>('POST', '/admin/tokens', {
    name,
    providerId: created.body.id,
    baseUrl: `${providerUrl}/api`,
    ...(grantType === 'password' ? { username: 'alice', password: PASSWORD } : {}),
  });
  expect(token.status, JSON.stringify(token.body)).toBe(201);
  return token.body.id;
}

function expectFreeOf(text: string, secrets: string[]): void {
  for (const secret of secrets) {
    for (const form of [
      secret,
      encodeURIComponent(secret),
      encodeURIComponent(secret).replace(/%20/g, '+'),
      Buffer.from(`client-one:${secret}`).toString('base64'),
    ]) {
      expect(text, form).not.toContain(form);
    }
  }
}

describe('provider answers', () => {
  it('refuses a token_type that would inject a header, says why in lastMessage, and never shows the token', async () => {
    const id = await tokenOn('/inject', 'client_credentials', 'inject');
    const use = await p.http('GET', '/tokens/inject');
    expect(use.status).toBe(409);
    const proxied = await fetch(`${p.url}/proxy/inject/x`, { headers: await p.authHeaders() });
    const view = await p.http<{ state: string; lastMessage: string; tokenType: string }>('GET', `/admin/tokens/${id}`);
    expect(view.body.state).toBe('refresh_failed');
    expect(view.body.lastMessage).toMatch(/token_type is not a single word/);
    expect(view.body.tokenType).toBe('Bearer');
    for (const text of [use.text, await proxied.text(), view.text]) expectFreeOf(text, [INJECTED_TOKEN, 'X-Injected']);
  });

  it('refuses an expires_in beyond any sensible lifetime instead of storing a date nobody can use', async () => {
    const id = await tokenOn('/forever', 'client_credentials', 'forever');
    expect((await p.http('GET', '/tokens/forever')).status).toBe(409);
    expect((await p.http<{ lastMessage: string }>('GET', `/admin/tokens/${id}`)).body.lastMessage).toMatch(/expires_in .* out of range/);
  });

  it('never lets a provider that echoes the password and client secret into its errors put them in a message or response', async () => {
    const jsonId = await tokenOn('/echo-json', 'password', 'echo-json');
    const htmlId = await tokenOn('/echo-html', 'password', 'echo-html');
    const texts: string[] = [];
    for (const [name, id] of [
      ['echo-json', jsonId],
      ['echo-html', htmlId],
    ]) {
      const use = await p.http('GET', `/tokens/${name}`);
      expect([409, 503]).toContain(use.status);
      texts.push(
        use.text,
        (await p.http('GET', `/admin/tokens/${id}`)).text,
        await (await fetch(`${p.url}/proxy/${name}/x`, { headers: await p.authHeaders() })).text(),
      );
    }
    const view = await p.http<{ lastMessage: string | null; lastTransientError: string | null }>('GET', `/admin/tokens/${jsonId}`);
    expect(view.body.lastMessage).toMatch(/invalid_grant: user alice with password "\[redacted\]"/);
    const provider = (await p.http<{ items: { id: string; name: string }[] }>('GET', '/admin/providers?limit=500')).body.items.find(
      (item) => item.name === 'p-echo-json',
    )!;
    texts.push((await p.http('POST', `/admin/providers/${provider.id}/test`, { username: 'alice', password: PASSWORD })).text);
    texts.push((await p.http('GET', '/admin/tokens')).text);
    for (const text of texts) expectFreeOf(text, [PASSWORD, CLIENT_SECRET]);
  });
});
