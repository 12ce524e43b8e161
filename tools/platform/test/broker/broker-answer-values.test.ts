import { FakeOAuthProvider } from '@tessera/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedPlatform, type SharedPlatform } from '../support/shared-platform.js';

/**
 * Values a provider's token answers carry for the token's URLs (Salesforce's instance_url, Pipedrive's api_domain):
 * read from the code exchange and every refresh, kept with the token, filled into where the proxy calls.
 */
let p: SharedPlatform;
let fake: FakeOAuthProvider;
beforeAll(async () => {
  fake = await new FakeOAuthProvider({ answerExtras: { account_id: 'acct-7' } }).start();
  p = await sharedPlatform();
});
afterAll(async () => {
  await p?.stop();
  await fake?.stop();
});

type View = { id: string; state: string; lastMessage: string | null; baseUrl: string | null; responseValues: Record<string, string> };

async function provider(name: string, settings: Record<string, unknown>): Promise<string> {
  const created = await p.http<{ id: string }>('POST', '/admin/providers', {
    name,
    grantType: 'authorization_code',
    clientId: 'answers',
    clientSecret: 'answers-secret',
    authorizationUrl: `${fake.url}/authorize`,
    tokenUrl: `${fake.url}/token`,
    pkce: false,
    ...settings,
  });
  expect(created.status, created.text).toBe(201);
  return created.body.id;
}

/** Creates a token and goes through the provider's consent; answers the token as the broker then holds it. */
async function authorized(name: string, providerId: string, baseUrl: string): Promise<View> {
  const token = await p.http<View>('POST', '/admin/tokens', { name, providerId, baseUrl });
  expect(token.status, token.text).toBe(201);
  const { body, headers } = await p.http<{ authorizationUrl: string }>('POST', `/admin/tokens/${token.body.id}/authorize`);
  const redirect = await fetch(body.authorizationUrl, { redirect: 'manual' });
  await fetch(redirect.headers.get('location')!, { headers: { cookie: headers.get('set-cookie')!.split(';')[0] } });
  return (await p.http<View>('GET', `/admin/tokens/${token.body.id}`)).body;
}

async function proxy(path: string) {
  const response = await fetch(`${p.url}/proxy/${path}`, { headers: await p.authHeaders() });
  return { status: response.status, body: await response.text() };
}

describe('variables from the token answer', () => {
  it('reads them at the code exchange and each refresh, and the proxy calls where they say', async () => {
    fake.behaviour.answerExtras = { account_id: 'acct-7' };
    const id = await provider('answers-account', { tokenResponseVariables: { account: 'account_id' } });
    // The token's base URL uses a variable nobody gave: the answer brings it, so creating the token is not refused.
    const token = await authorized('answers-account-token', id, `${fake.url}/api/{{account}}`);
    expect(token).toMatchObject({ state: 'valid', responseValues: { account: 'acct-7' } });
    expect((await proxy('answers-account-token/deals?open=1')).status).toBe(200);
    expect(fake.apiCalls.at(-1)!.path).toBe('/api/acct-7/deals?open=1');

    fake.behaviour.answerExtras = { account_id: 'acct/8' };
    expect((await p.http<View>('POST', `/admin/tokens/${token.id}/refresh`)).body.responseValues).toEqual({ account: 'acct/8' });
    await proxy('answers-account-token/deals');
    // Filled into a path, a value is encoded as every variable is: it cannot add segments.
    expect(fake.apiCalls.at(-1)!.path).toBe('/api/acct%2F8/deals');

    // An answer without it keeps the value an earlier one gave.
    fake.behaviour.answerExtras = {};
    expect((await p.http<View>('POST', `/admin/tokens/${token.id}/refresh`)).body.responseValues).toEqual({ account: 'acct/8' });
    // A variable of the answer is the answer's: a token's own value of that name is not used.
    await p.http('PATCH', `/admin/tokens/${token.id}`, { variables: { account: 'elsewhere' } });
    await proxy('answers-account-token/deals');
    expect(fake.apiCalls.at(-1)!.path).toBe('/api/acct%2F8/deals');
  });

  it('refuses an answer whose host value is off its domain, naming the variable', async () => {
    fake.behaviour.answerExtras = { instance_url: 'https://evil.example' };
    const id = await provider('answers-instance', {
      tokenResponseVariables: { instanceUrl: 'instance_url' },
      tokenResponseHosts: { instanceUrl: 'salesforce.com' },
    });
    const token = await authorized('answers-instance-token', id, '{{instanceUrl}}/services/data');
    expect(token.state).toBe('pending_authorization');
    expect(token.responseValues).toEqual({});
    expect(token.lastMessage).toMatch(/instance_url.*instanceUrl.*not an https origin or host on salesforce\.com/);
  });

  it("a provider made from Salesforce's template reads instance_url, kept on salesforce.com, and its tokens call there", async () => {
    const created = await p.http<Record<string, unknown> & { id: string }>('POST', '/admin/providers', {
      template: 'salesforce',
      name: 'answers-salesforce',
      clientId: 'sf',
      clientSecret: 'sf-secret',
    });
    expect(created.status, created.text).toBe(201);
    expect(created.body).toMatchObject({ tokenResponseVariables: { instanceUrl: 'instance_url' }, tokenResponseHosts: { instanceUrl: 'salesforce.com' } });
    const token = await p.http<View>('POST', '/admin/tokens', { name: 'answers-salesforce-token', providerId: created.body.id });
    expect(token.status, token.text).toBe(201);
    expect(token.body).toMatchObject({ baseUrl: '{{instanceUrl}}', responseValues: {} });
    const own = await p.http<View>('POST', '/admin/tokens', {
      name: 'answers-salesforce-own',
      providerId: created.body.id,
      baseUrl: '{{instanceUrl}}/services/data/v60.0',
    });
    expect(own.body.baseUrl).toBe('{{instanceUrl}}/services/data/v60.0');
  });

  it('refuses settings that could not work: a host domain of no variable, a bare top-level domain, a token URL using one', async () => {
    const refused = await p.http<{ fields: Record<string, string[]> }>('POST', '/admin/providers', {
      name: 'answers-refused',
      grantType: 'authorization_code',
      clientId: 'answers',
      authorizationUrl: `${fake.url}/authorize`,
      tokenUrl: `${fake.url}/token/{{account}}`,
      tokenResponseVariables: { account: 'account_id', host: 'instance_url' },
      tokenResponseHosts: { other: 'example.com', host: 'com' },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.fields.tokenResponseHosts).toEqual([
      'other is not one of tokenResponseVariables',
      'host: com is not a domain of two labels or more, in lowercase',
    ]);
    expect(refused.body.fields.tokenUrl[0]).toMatch(/cannot use account/);
  });
});
