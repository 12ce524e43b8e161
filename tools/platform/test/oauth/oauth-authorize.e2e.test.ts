import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, basic, json, sharedPlatform, type SharedPlatform } from '../support/shared-platform.js';

const REDIRECT_URI = 'https://instance-1.example/oauth/callback';

let t: SharedPlatform;
let client: { id: string; applicationId: string; appSecret: string };

/** A browser's essentials: a cookie jar and reading forms off the page. */
class Browser {
  private readonly jar = new Map<string, string>();

  async request(url: string, init: RequestInit = {}): Promise<Response> {
    const cookie = [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const response = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string>), ...(cookie ? { cookie } : {}) } });
    for (const header of response.headers.getSetCookie()) {
      const [pair] = header.split(';');
      const index = pair.indexOf('=');
      this.jar.set(pair.slice(0, index), pair.slice(index + 1));
    }
    return response;
  }

  async submit(page: string, fields: Record<string, string>): Promise<Response> {
    const hidden = Object.fromEntries(
      [...page.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1], m[2].replace(/&quot;/g, '"').replace(/&amp;/g, '&')]),
    );
    return this.request(`${t.url}/oauth/authorize`, {
      method: 'POST',
      body: new URLSearchParams({ ...hidden, ...fields }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
  }

  forget(name: string) {
    this.jar.delete(name);
  }
}

function pkce() {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

function authorizeUrl(params: Record<string, string>) {
  return `${t.url}/oauth/authorize?${new URLSearchParams({ response_type: 'code', client_id: client.applicationId, redirect_uri: REDIRECT_URI, ...params })}`;
}

function exchange(params: Record<string, string>) {
  return fetch(`${t.url}/oauth/token`, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'authorization_code', redirect_uri: REDIRECT_URI, ...params }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(client.applicationId, client.appSecret) },
  });
}

/** Runs login and consent in a fresh browser and returns the redirect back to the client. */
async function consent(params: Record<string, string>, action: 'approve' | 'deny' = 'approve'): Promise<URL> {
  const browser = new Browser();
  const login = await browser.request(authorizeUrl(params));
  expect(login.status).toBe(200);
  const loginPage = await login.text();
  expect(loginPage).toContain('Sign in to Tessera');
  const consentResponse = await browser.submit(loginPage, { action: 'login', username: 'admin', password: ADMIN_PASSWORD });
  const consentPage = await consentResponse.text();
  expect(consentPage).toContain('Approve');
  // Browsers apply form-action to the redirect after the post: the client's redirect origin must be allowed, nothing more.
  expect(consentResponse.headers.get('content-security-policy')).toContain(`form-action 'self' ${new URL(REDIRECT_URI).origin};`);
  const decided = await browser.submit(consentPage, { action });
  expect(decided.status).toBe(303);
  return new URL(decided.headers.get('location')!);
}

beforeAll(async () => {
  t = await sharedPlatform();
  const admin = await t.adminToken();
  const response = await fetch(`${t.url}/admin/integrations`, {
    method: 'POST',
    headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Instance 1', permissions: ['*:orgs=read', 'instance-1:users=read'], redirectUris: [REDIRECT_URI] }),
  });
  client = await json(response);
});
afterAll(() => t?.stop());

describe('authorization code with PKCE', () => {
  it('runs login and consent server-side, returns code, state and iss, and exchanges the code once', async () => {
    const { verifier, challenge } = pkce();
    const redirect = await consent({ code_challenge: challenge, code_challenge_method: 'S256', state: 'xyz-123', scope: '*:orgs=read' });
    expect(redirect.origin + redirect.pathname).toBe(REDIRECT_URI);
    expect(redirect.searchParams.get('state')).toBe('xyz-123');
    expect(redirect.searchParams.get('iss')).toBe(t.config.issuer);
    const code = redirect.searchParams.get('code')!;
    const tokens = await json(await exchange({ code, code_verifier: verifier }));
    expect(tokens).toMatchObject({ token_type: 'Bearer', scope: '*:orgs=read' });
    const payload = JSON.parse(Buffer.from(String(tokens.access_token).split('.')[1], 'base64url').toString());
    expect(payload.sub).toBe('admin:admin');

    const replay = await exchange({ code, code_verifier: verifier });
    expect(await json(replay)).toMatchObject({ error: 'invalid_grant' });
    const refreshed = await fetch(`${t.url}/oauth/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: String(tokens.refresh_token) }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(client.applicationId, client.appSecret) },
    });
    expect(await json(refreshed)).toMatchObject({ error: 'invalid_grant' });
    await t.events.waitFor((e) => e.type === 'tessera.events.auth.token.revoked' && (e.data as { reason: string }).reason === 'code_replay');
  });

  it('refuses a wrong code_verifier and a different redirect_uri', async () => {
    const { challenge } = pkce();
    const code = (await consent({ code_challenge: challenge, code_challenge_method: 'S256' })).searchParams.get('code')!;
    expect(await json(await exchange({ code, code_verifier: pkce().verifier }))).toMatchObject({ error: 'invalid_grant' });
    const other = pkce();
    const code2 = (await consent({ code_challenge: other.challenge, code_challenge_method: 'S256' })).searchParams.get('code')!;
    expect(await json(await exchange({ code: code2, code_verifier: other.verifier, redirect_uri: 'https://instance-1.example/other' }))).toMatchObject({
      error: 'invalid_grant',
    });
  });

  it('sends access_denied back when the admin declines', async () => {
    const redirect = await consent({ code_challenge: pkce().challenge, code_challenge_method: 'S256', state: 's1' }, 'deny');
    expect(redirect.searchParams.get('error')).toBe('access_denied');
    expect(redirect.searchParams.get('state')).toBe('s1');
  });

  it('requires PKCE S256, and reports errors to the client only when the redirect URI is trusted', async () => {
    const browser = new Browser();
    const noPkce = await browser.request(authorizeUrl({ state: 's2' }));
    expect(noPkce.status).toBe(303);
    const location = new URL(noPkce.headers.get('location')!);
    expect(location.searchParams.get('error')).toBe('invalid_request');
    expect(location.searchParams.get('state')).toBe('s2');
    const plain = await browser.request(authorizeUrl({ code_challenge: pkce().challenge, code_challenge_method: 'plain' }));
    expect(new URL(plain.headers.get('location')!).searchParams.get('error')).toBe('invalid_request');
    const foreignRedirect = await browser.request(
      authorizeUrl({ redirect_uri: 'https://evil.example/cb', code_challenge: pkce().challenge, code_challenge_method: 'S256' }),
    );
    expect(foreignRedirect.status).toBe(400);
    expect(foreignRedirect.headers.get('location')).toBeNull();
    expect(await foreignRedirect.text()).toContain('redirect_uri');
    const unknownClient = await browser.request(authorizeUrl({ client_id: 'nobody-at-all', code_challenge: pkce().challenge, code_challenge_method: 'S256' }));
    expect(unknownClient.status).toBe(400);
  });

  it('serves pages with a strict Content-Security-Policy and refuses a form without its CSRF cookie', async () => {
    const browser = new Browser();
    const response = await browser.request(authorizeUrl({ code_challenge: pkce().challenge, code_challenge_method: 'S256' }));
    expect(response.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    const page = await response.text();
    expect(page).not.toMatch(/<script/i);
    browser.forget('tessera_csrf');
    const forged = await browser.submit(page, { action: 'login', username: 'admin', password: ADMIN_PASSWORD });
    expect(forged.status).toBe(400);
    expect(forged.headers.getSetCookie().some((c) => c.startsWith('tessera_admin_session='))).toBe(false);
  });

  it('shows the login page again with an error after a wrong password', async () => {
    const browser = new Browser();
    const page = await (await browser.request(authorizeUrl({ code_challenge: pkce().challenge, code_challenge_method: 'S256' }))).text();
    const wrong = await browser.submit(page, { action: 'login', username: 'admin', password: 'not-the-password' });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain('Wrong username or password');
  });
});
