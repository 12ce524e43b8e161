import { Events } from '@tessera/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedPlatform, type SharedPlatform } from '../support/shared-platform.js';
import { Browser, startOidcProvider, type RunningOidcProvider } from '../support/oidc-provider.js';

/** The authorization-code flow with PKCE, refresh with rotation and revocation, against oidc-provider. */
let p: SharedPlatform;
let oidc: RunningOidcProvider;
let providerId: string;
const ACCESS_TOKEN_TTL = 6;

beforeAll(async () => {
  p = await sharedPlatform();
  oidc = await startOidcProvider({ redirectUri: `${p.url}/oauth/callback`, accessTokenTtl: ACCESS_TOKEN_TTL });
  const created = await p.http<{ id: string }>('POST', '/admin/providers', {
    name: 'oidc',
    grantType: 'authorization_code',
    clientId: 'broker-code',
    clientSecret: 'code-secret-0123456789',
    authorizationUrl: `${oidc.issuer}/auth`,
    tokenUrl: `${oidc.issuer}/token`,
    revocationUrl: `${oidc.issuer}/token/revocation`,
    scopes: ['openid', 'offline_access'],
    prompt: 'consent',
    refreshBufferSeconds: 1,
  });
  providerId = created.body.id;
});
afterAll(async () => {
  await p?.stop();
  await oidc?.stop();
});

type View = { id: string; state: string; lastMessage: string | null; expiresAt: string | null };

async function newToken(name: string): Promise<View> {
  const created = await p.http<View>('POST', '/admin/tokens', { name, providerId });
  expect(created.body.state).toBe('pending_authorization');
  return created.body;
}

/** Presses "get authorization token", signs in and consents at the provider; returns where the provider sent the browser. */
async function authorizeInBrowser(tokenId: string): Promise<{ callbackUrl: string; authorizationUrl: string; cookie: string }> {
  const { body, headers } = await p.http<{ authorizationUrl: string }>('POST', `/admin/tokens/${tokenId}/authorize`);
  const browser = new Browser();
  let step = await browser.follow(body.authorizationUrl, oidc.issuer);
  for (let i = 0; i < 4 && step.url.startsWith(oidc.issuer); i++) {
    const page = await step.response.text();
    const prompt = /name="prompt" value="(\w+)"/.exec(page)?.[1];
    expect(prompt, page.slice(0, 300)).toMatch(/login|consent/);
    step = await browser.follow(step.url, oidc.issuer, {
      method: 'POST',
      form: prompt === 'login' ? { prompt, login: 'alice', password: 'x' } : { prompt: 'consent' },
    });
  }
  expect(step.url.startsWith(p.url)).toBe(true);
  // The cookie the gateway set when the authorization started: the callback is accepted only with it (state bound to the browser).
  return { callbackUrl: step.url, authorizationUrl: body.authorizationUrl, cookie: headers.get('set-cookie')!.split(';')[0] };
}

/** The provider's redirect back, from the browser that started the authorization. */
function callback(started: { callbackUrl: string; cookie: string }): Promise<Response> {
  return fetch(started.callbackUrl, { headers: { cookie: started.cookie } });
}

async function userinfo(accessToken: string): Promise<number> {
  return (await fetch(`${oidc.issuer}/me`, { headers: { authorization: `Bearer ${accessToken}` } })).status;
}

describe('authorization code with PKCE against oidc-provider', () => {
  it('builds the authorization URL with state of stateLength characters, PKCE S256, prompt and scopes', async () => {
    const token = await newToken('url-check');
    const { body } = await p.http<{ authorizationUrl: string }>('POST', `/admin/tokens/${token.id}/authorize`);
    const url = new URL(body.authorizationUrl);
    expect(url.origin + url.pathname).toBe(`${oidc.issuer}/auth`);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: 'broker-code',
      redirect_uri: `${p.url}/oauth/callback`,
      scope: 'openid offline_access',
      prompt: 'consent',
      code_challenge_method: 'S256',
    });
    expect(url.searchParams.get('state')).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(url.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const [row] = await p.db.query<{ code_verifier_sealed: string }>('SELECT code_verifier_sealed FROM broker.authorization_request WHERE state = $1', [
      url.searchParams.get('state'),
    ]);
    expect(row.code_verifier_sealed).toMatch(/^v1\./);
  });

  it('signs in, consents, exchanges the code and stores a working token; a replayed redirect is refused and recorded', async () => {
    const token = await newToken('alice-mail');
    const started = await authorizeInBrowser(token.id);
    const page = await callback(started);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('Token &quot;alice-mail&quot; is now valid');

    const view = await p.http<View>('GET', `/admin/tokens/${token.id}`);
    expect(view.body).toMatchObject({ state: 'valid', lastMessage: null });
    const authorized = await p.events.waitFor((e) => e.type === Events.outboundTokenAuthorized && (e.data as View & { tokenId: string }).tokenId === token.id);
    expect(Object.keys(authorized.data as object).sort()).toEqual(['expiresAt', 'name', 'scope', 'tokenId']);
    const used = await p.http<{ access_token: string; token_type: string }>('GET', '/tokens/alice-mail');
    expect(used.body.token_type).toBe('Bearer');
    expect(await userinfo(used.body.access_token)).toBe(200);

    // Without the cookie (cleared by the first answer) the gateway refuses it; with it, the broker sees the replay.
    expect((await fetch(started.callbackUrl)).status).toBe(400);
    const replay = await callback(started);
    expect(replay.status).toBe(400);
    expect(await replay.text()).toContain('already used');
    expect((await p.http<View>('GET', `/admin/tokens/${token.id}`)).body).toMatchObject({ state: 'valid', lastMessage: expect.stringContaining('replayed') });
  });

  it('refreshes with rotation: the new refresh token replaces the old, which the provider no longer accepts', async () => {
    const token = await newToken('rotating');
    await callback(await authorizeInBrowser(token.id));
    const before = (await p.db.query<{ refresh_token_sealed: string }>('SELECT refresh_token_sealed FROM broker.outbound_token WHERE id = $1', [token.id]))[0];
    const oldRefresh = p.openSealed(before.refresh_token_sealed, token.id, 'refresh_token');
    const refreshed = await p.http<View>('POST', `/admin/tokens/${token.id}/refresh`);
    expect(refreshed.body.state).toBe('valid');
    const after = (await p.db.query<{ refresh_token_sealed: string }>('SELECT refresh_token_sealed FROM broker.outbound_token WHERE id = $1', [token.id]))[0];
    expect(p.openSealed(after.refresh_token_sealed, token.id, 'refresh_token')).not.toBe(oldRefresh);
    const reuse = await fetch(`${oidc.issuer}/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: oldRefresh }),
      headers: {
        authorization: `Basic ${Buffer.from('broker-code:code-secret-0123456789').toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
    });
    expect(reuse.status).toBe(400);
  });

  it('refreshes proactively before the access token expires, without anybody using it', async () => {
    const token = await newToken('proactive');
    await callback(await authorizeInBrowser(token.id));
    const first = (await p.http<{ access_token: string }>('GET', '/tokens/proactive')).body.access_token;
    const event = await p.events.waitFor(
      (e) => e.type === Events.outboundTokenRefreshed && (e.data as { tokenId: string }).tokenId === token.id,
      ACCESS_TOKEN_TTL * 1000,
    );
    expect(Object.keys(event.data as object).sort()).toEqual(['expiresAt', 'name', 'scope', 'tokenId']);
    const view = (await p.http<View & { lastRefreshedAt: string }>('GET', `/admin/tokens/${token.id}`)).body;
    expect(new Date(view.expiresAt!).getTime()).toBeGreaterThan(Date.now());
    const second = (await p.http<{ access_token: string }>('GET', '/tokens/proactive')).body.access_token;
    expect(second).not.toBe(first);
    expect(await userinfo(second)).toBe(200);
  });

  it('revokes at the provider and forgets the tokens', async () => {
    const token = await newToken('to-revoke');
    await callback(await authorizeInBrowser(token.id));
    const accessToken = (await p.http<{ access_token: string }>('GET', '/tokens/to-revoke')).body.access_token;
    expect(await userinfo(accessToken)).toBe(200);
    const revoked = await p.http<View>('POST', `/admin/tokens/${token.id}/revoke`);
    expect(revoked.body).toMatchObject({ state: 'revoked', lastMessage: null });
    expect(await userinfo(accessToken)).toBe(401);
    await p.events.waitFor(
      (e) =>
        e.type === Events.outboundTokenRevoked &&
        (e.data as { tokenId: string; revokedAtProvider: boolean }).revokedAtProvider &&
        (e.data as { tokenId: string }).tokenId === token.id,
    );
  });

  it('records a denied authorization in lastMessage and leaves the token pending', async () => {
    const token = await newToken('denied');
    const { body, headers } = await p.http<{ authorizationUrl: string }>('POST', `/admin/tokens/${token.id}/authorize`);
    const state = new URL(body.authorizationUrl).searchParams.get('state')!;
    const page = await fetch(`${p.url}/oauth/callback?error=access_denied&error_description=${encodeURIComponent('<b>user said no</b>')}&state=${state}`, {
      headers: { cookie: headers.get('set-cookie')!.split(';')[0] },
    });
    expect(page.status).toBe(403);
    const html = await page.text();
    expect(html).toContain('access_denied: &lt;b&gt;user said no&lt;/b&gt;');
    expect((await p.http<View>('GET', `/admin/tokens/${token.id}`)).body).toMatchObject({
      state: 'pending_authorization',
      lastMessage: 'authorization failed at the provider: access_denied: <b>user said no</b>',
    });
  });

  it('refuses an unknown state and an expired one, recording the expired one on its token', async () => {
    expect((await fetch(`${p.url}/oauth/callback?code=abc&state=not-a-state-we-issued`)).status).toBe(400);
    const token = await newToken('slow-human');
    const started = await authorizeInBrowser(token.id);
    const state = new URL(started.callbackUrl).searchParams.get('state');
    // The human took longer than the state's lifetime (10 minutes): age the request rather than wait.
    await p.db.query(`UPDATE broker.authorization_request SET expires_at = now() - interval '1 second' WHERE state = $1`, [state]);
    const page = await callback(started);
    expect(page.status).toBe(400);
    expect((await p.http<View>('GET', `/admin/tokens/${token.id}`)).body).toMatchObject({
      state: 'pending_authorization',
      lastMessage: expect.stringContaining('expired'),
    });
  });
});

describe('client_credentials against oidc-provider', () => {
  it('fetches on first use with client_secret_post and the token introspects as active', async () => {
    const { body: cc } = await p.http<{ id: string }>('POST', '/admin/providers', {
      name: 'oidc-cc',
      grantType: 'client_credentials',
      clientId: 'broker-cc',
      clientSecret: 'cc-secret-0123456789',
      clientAuthMethod: 'client_secret_post',
      tokenUrl: `${oidc.issuer}/token`,
      scopes: ['api:read'],
    });
    await p.http('POST', '/admin/tokens', { name: 'oidc-machine', providerId: cc.id });
    const used = await p.http<{ access_token: string; scope: string; expires_at: string }>('GET', '/tokens/oidc-machine');
    expect(used.status).toBe(200);
    expect(used.body.scope).toBe('api:read');
    expect(new Date(used.body.expires_at).getTime()).toBeGreaterThan(Date.now());
    const introspection = await fetch(`${oidc.issuer}/token/introspection`, {
      method: 'POST',
      body: new URLSearchParams({ token: used.body.access_token, client_id: 'broker-cc', client_secret: 'cc-secret-0123456789' }),
    });
    expect(await introspection.json()).toMatchObject({ active: true, client_id: 'broker-cc', scope: 'api:read' });
  });
});
