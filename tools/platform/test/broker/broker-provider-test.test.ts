import { FakeOAuthProvider } from '@tessera/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, sharedPlatform, type SharedPlatform } from '../support/shared-platform.js';

let p: SharedPlatform;
let fake: FakeOAuthProvider;
beforeAll(async () => {
  [p, fake] = await Promise.all([sharedPlatform(), new FakeOAuthProvider().start()]);
});
afterAll(async () => {
  await p?.stop();
  await fake?.stop();
});

interface Step {
  name: string;
  url: string;
  status: number | null;
  ms: number;
  ok: boolean;
  outcome: string;
}
interface TestReply {
  ok: boolean;
  grantType: string;
  steps: Step[];
  answer: Record<string, unknown> | null;
}

async function provider(body: Record<string, unknown>): Promise<string> {
  const created = await p.http<{ id: string }>('POST', '/admin/providers', { clientId: 'test-client', clientSecret: 'test-secret-0123', ...body });
  expect(created.status).toBe(201);
  return created.body.id;
}

/** Every token the fake provider has issued (access and refresh), to check none of them reached the response. */
function issuedTokens(): string[] {
  return [...fake.accessTokens.keys(), ...fake.refreshTokens.keys()];
}

describe('POST /admin/providers/:id/test', () => {
  it('client_credentials: requests a token with the variables and scopes given, and answers with every token value redacted', async () => {
    const id = await provider({ name: 'cc-ok', grantType: 'client_credentials', tokenUrl: `${fake.url}/token/{{account}}`, scopes: ['read'] });
    const before = new Set(issuedTokens());
    const tokenRequests = fake.tokenRequests.length;
    const result = await p.http<TestReply>('POST', `/admin/providers/${id}/test`, { variables: { account: 'acme' }, scopes: ['read', 'write'] });
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ ok: true, grantType: 'client_credentials' });
    expect(result.body.steps).toEqual([expect.objectContaining({ name: 'token request', url: `${fake.url}/token/acme`, status: 200, ok: true })]);
    expect(result.body.answer).toEqual({ access_token: '[redacted]', token_type: 'bearer', expires_in: 3600, scope: 'read write' });
    const request = fake.tokenRequests[tokenRequests];
    expect(request).toMatchObject({ path: '/token/acme', params: { grant_type: 'client_credentials', scope: 'read write' } });
    const issued = issuedTokens().filter((t) => !before.has(t));
    expect(issued).toHaveLength(1);
    for (const token of issued) expect(result.text).not.toContain(token);
    // Nothing stored: no outbound token came of it (this provider's: other files share the platform).
    const [{ count }] = await p.db.query<{ count: string }>('SELECT count(*) FROM broker.outbound_token WHERE provider_id = $1', [id]);
    expect(Number(count)).toBe(0);
  });

  it('password: sends the username and password, redacts the access and refresh tokens, and reports a refusal verbatim', async () => {
    const id = await provider({ name: 'pw', grantType: 'password', tokenUrl: `${fake.url}/token` });
    const before = new Set(issuedTokens());
    const ok = await p.http<TestReply>('POST', `/admin/providers/${id}/test`, { username: 'alice', password: 'correct horse' });
    expect(ok.body).toMatchObject({ ok: true, answer: { access_token: '[redacted]', refresh_token: '[redacted]', token_type: 'bearer' } });
    for (const token of issuedTokens().filter((t) => !before.has(t))) expect(ok.text).not.toContain(token);
    expect(ok.text).not.toContain('correct horse');
    const refused = await p.http<TestReply>('POST', `/admin/providers/${id}/test`, { username: 'alice', password: 'wrong' });
    expect(refused.status).toBe(200);
    expect(refused.body).toMatchObject({ ok: false, answer: { error: 'invalid_grant', error_description: 'bad credentials' } });
    expect(refused.body.steps[0].outcome).toContain('invalid_grant: bad credentials');
    expect((await p.http('POST', `/admin/providers/${id}/test`, {})).status).toBe(400);
  });

  it("a token endpoint that answers invalid_client gives ok=false with the provider's error", async () => {
    const id = await provider({ name: 'cc-refused', grantType: 'client_credentials', tokenUrl: `${fake.url}/token` });
    fake.behaviour.failNext = { count: 1, status: 401, body: JSON.stringify({ error: 'invalid_client', error_description: 'client authentication failed' }) };
    const result = await p.http<TestReply>('POST', `/admin/providers/${id}/test`);
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({
      ok: false,
      grantType: 'client_credentials',
      answer: { error: 'invalid_client', error_description: 'client authentication failed' },
    });
    expect(result.body.steps[0]).toMatchObject({ status: 401, ok: false });
    expect(result.body.steps[0].outcome).toContain('invalid_client: client authentication failed');
  });

  it('an unreachable provider gives ok=false with the network error, not a 5xx', async () => {
    const port = await freePort();
    const id = await provider({ name: 'cc-down', grantType: 'client_credentials', tokenUrl: `http://127.0.0.1:${port}/token` });
    const result = await p.http<TestReply>('POST', `/admin/providers/${id}/test`);
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ ok: false, answer: null });
    expect(result.body.steps[0]).toMatchObject({ status: null, ok: false });
    expect(result.body.steps[0].outcome).toMatch(/unreachable: ECONNREFUSED/);
  });

  it('authorization_code: checks that the authorization endpoint answers and the token endpoint refuses a made-up code', async () => {
    const id = await provider({
      name: 'code',
      grantType: 'authorization_code',
      authorizationUrl: `${fake.url}/authorize`,
      tokenUrl: `${fake.url}/token`,
      scopes: ['read'],
    });
    const tokenRequests = fake.tokenRequests.length;
    const result = await p.http<TestReply>('POST', `/admin/providers/${id}/test`);
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ ok: true, grantType: 'authorization_code', answer: { error: 'invalid_grant', error_description: 'unknown code' } });
    expect(result.body.steps.map((s) => [s.name, s.status, s.ok])).toEqual([
      ['authorization endpoint', 302, true],
      ['token endpoint', 400, true],
    ]);
    expect(result.body.steps[0].url).toBe(`${fake.url}/authorize`);
    expect(fake.tokenRequests[tokenRequests].params).toMatchObject({ grant_type: 'authorization_code', redirect_uri: `${p.url}/oauth/callback` });
    expect(fake.tokenRequests[tokenRequests].params.code_verifier).toBeTruthy();
    // No authorization request was saved: the state the test used can never complete a flow. (A request belongs to a
    // token, a token to a provider: this provider's, since other files share the platform.)
    const [{ count }] = await p.db.query<{ count: string }>(
      'SELECT count(*) FROM broker.authorization_request r JOIN broker.outbound_token t ON t.id = r.token_id WHERE t.provider_id = $1',
      [id],
    );
    expect(Number(count)).toBe(0);
  });

  it('authorization_code: an endpoint that is down or not OAuth fails its step', async () => {
    const port = await freePort();
    const id = await provider({
      name: 'code-down',
      grantType: 'authorization_code',
      authorizationUrl: `http://127.0.0.1:${port}/authorize`,
      tokenUrl: `${fake.url}/api/not-a-token-endpoint`,
    });
    const result = await p.http<TestReply>('POST', `/admin/providers/${id}/test`);
    expect(result.status).toBe(200);
    expect(result.body.ok).toBe(false);
    expect(result.body.steps[0]).toMatchObject({ name: 'authorization endpoint', status: null, ok: false });
    expect(result.body.steps[0].outcome).toMatch(/unreachable/);
    expect(result.body.steps[1]).toMatchObject({ name: 'token endpoint', ok: false });
  });

  it('404s an unknown provider and 400s bad input', async () => {
    expect((await p.http('POST', '/admin/providers/4d6f1c2e-0a8b-4c3d-9e7f-112233445566/test')).status).toBe(404);
    const id = await provider({ name: 'cc-input', grantType: 'client_credentials', tokenUrl: `${fake.url}/token/{{account}}` });
    expect((await p.http('POST', `/admin/providers/${id}/test`, { scopes: 'read' })).status).toBe(400);
    const missing = await p.http<{ fields: Record<string, string[]> }>('POST', `/admin/providers/${id}/test`, {});
    expect(missing.status).toBe(400);
    expect(missing.body.fields).toHaveProperty('variables.account');
  });
});
