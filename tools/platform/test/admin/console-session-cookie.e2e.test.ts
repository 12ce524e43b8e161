import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, json, startTestPlatform, type TestPlatform } from '../support/test-platform.js';

/**
 * A console reload keeps the administrator signed in (ADR 0044): sign-in sets an HttpOnly, SameSite=Strict cookie
 * scoped to /admin/session that resumes the same session (no new one), only for the console's own same-origin call;
 * sign-out clears it and it resumes nothing after.
 */
let t: TestPlatform;
beforeAll(async () => {
  // 127.0.0.1 is a trusted proxy here, so a request can say it came over https (X-Forwarded-Proto).
  t = await startTestPlatform({ env: { TESSERA_BUS_TIMEOUT_MS: '15000', TESSERA_TRUSTED_PROXIES: '127.0.0.1' } });
});
afterAll(() => t?.stop());

interface Token {
  access_token: string;
}

async function signIn(headers: Record<string, string> = {}): Promise<{ token: string; cookie: string; setCookie: string }> {
  const response = await fetch(`${t.url}/admin/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
  });
  expect(response.status).toBe(200);
  const setCookie = response.headers.get('set-cookie') ?? '';
  return { token: (await json<Token>(response)).access_token, cookie: setCookie.split(';')[0], setCookie };
}

const resume = (cookie: string, headers: Record<string, string> = { 'x-tessera-console': 'resume' }) =>
  fetch(`${t.url}/admin/session/resume`, { method: 'POST', headers: { cookie, ...headers } });
const get = (token: string, path: string) => fetch(`${t.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
const sessionOf = async (token: string) => {
  const { sessionId, startedAt, endsAt } = await json<{ sessionId: string; startedAt: string; endsAt: string }>(await get(token, '/admin/session'));
  return { sessionId, startedAt, endsAt };
};

describe('the console session cookie', () => {
  it('is HttpOnly, SameSite=Strict, scoped to /admin/session, lasts no longer than a session, and is Secure over https', async () => {
    const { setCookie } = await signIn();
    expect(setCookie).toMatch(/^tessera_console_session=[^;]+; Path=\/admin\/session; HttpOnly; SameSite=Strict; Max-Age=28800$/);
    const overHttps = await signIn({ 'x-forwarded-proto': 'https' });
    expect(overHttps.setCookie).toMatch(/; Secure$/);
  });

  it('resumes the same session after a reload: a fresh token, no new session', async () => {
    const { token, cookie } = await signIn();
    const before = await sessionOf(token);
    const resumed = await resume(cookie);
    expect(resumed.status).toBe(200);
    const fresh = (await json<Token>(resumed)).access_token;
    expect(fresh).not.toBe(token);
    expect((await get(fresh, '/admin/integrations')).status).toBe(200);
    expect(await sessionOf(fresh)).toEqual(before);
  });

  it('is refused without the console header, from another origin, or with a cookie not sealed by the platform; without one there is nothing to resume', async () => {
    const { cookie } = await signIn();
    expect((await resume(cookie, {})).status).toBe(403);
    expect((await resume(cookie, { 'x-tessera-console': 'resume', origin: 'https://evil.example' })).status).toBe(403);
    expect((await resume(cookie, { 'x-tessera-console': 'resume', origin: t.url })).status).toBe(200);
    expect((await resume('')).status).toBe(204); // no cookie: nothing to resume, the console shows the sign-in
    const [name, value] = cookie.split('=');
    const tampered = `${name}=${value.slice(0, -2)}${value.endsWith('A') ? 'B' : 'A'}${value.slice(-1)}`;
    const refused = await resume(tampered);
    expect(refused.status).toBe(401);
    expect(await json(refused)).toMatchObject({ error: 'unauthorized' });
  });

  it('sign-out clears the cookie and revokes the session: the old cookie resumes nothing', async () => {
    const { token, cookie } = await signIn();
    const resumedToken = (await json<Token>(await resume(cookie))).access_token;
    const out = await fetch(`${t.url}/admin/logout`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/^tessera_console_session=; Path=\/admin\/session; HttpOnly; SameSite=Strict; Max-Age=0/);
    const again = await resume(cookie);
    expect(again.status).toBe(401);
    expect(again.headers.get('set-cookie')).toMatch(/Max-Age=0/);
    expect((await get(resumedToken, '/admin/integrations')).status).toBe(401);
  });
});
