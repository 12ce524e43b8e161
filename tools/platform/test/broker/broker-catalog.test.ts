import { FakeOAuthProvider } from '@tessera/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createAdmin, signIn } from '../support/admin-api.js';
import { startBrokerPlatform, type BrokerPlatform } from '../support/broker-platform.js';
import { ADMIN_PASSWORD } from '../support/test-platform.js';

/** The catalog API at the gateway: reading templates, providers made from them, custom templates and the Nango import. */
let p: BrokerPlatform;
beforeAll(async () => {
  p = await startBrokerPlatform();
});
afterAll(async () => {
  await p?.stop();
});

type Summary = { id: string; name: string; categories: string[]; custom: boolean; version: number };
type View = Record<string, unknown> & { id: string; template: { id: string; version: number } | null; templateUpdate: { id: string; version: number } | null };

const customTemplate = (version: number, tokenPath = 'oauth/token') => ({
  id: 'acme-crm',
  version,
  name: 'Acme CRM',
  categories: ['crm'],
  docsUrl: 'https://developer.acme-crm.example/oauth',
  grantTypes: ['authorization_code'],
  variables: [
    {
      name: 'tenant',
      description: 'The account: acme for acme.acme-crm.example',
      pattern: '^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$',
      example: 'acme',
      from: 'provider',
      hostParent: 'acme-crm.example',
    },
  ],
  authorizationUrl: 'https://{{tenant}}.acme-crm.example/oauth/authorize',
  tokenUrl: `https://{{tenant}}.acme-crm.example/${tokenPath}`,
  defaultScopes: ['contacts.read'],
  clientAuthMethod: 'client_secret_post',
  pkce: 'required',
  sources: [
    {
      url: 'https://developer.acme-crm.example/oauth',
      supports: ['grantTypes', 'variables', 'authorizationUrl', 'tokenUrl', 'defaultScopes', 'clientAuthMethod', 'pkce'],
    },
  ],
});

describe('GET /admin/catalog', () => {
  it('lists every template by name, searches by words and filters by category', async () => {
    const all = await p.http<{ items: Summary[]; categories: string[] }>('GET', '/admin/catalog');
    expect(all.status).toBe(200);
    expect(all.body.items.length).toBeGreaterThanOrEqual(60);
    expect(all.body.categories).toContain('file-storage');
    const names = all.body.items.map((i) => i.name.toLowerCase());
    expect(names).toEqual([...names].sort());
    const microsoft = await p.http<{ items: Summary[] }>('GET', '/admin/catalog?search=microsoft&category=file-storage');
    expect(microsoft.body.items.length).toBeGreaterThan(0);
    for (const item of microsoft.body.items) expect(item).toMatchObject({ categories: expect.arrayContaining(['file-storage']), custom: false });
    expect(microsoft.body.items.map((i) => i.id)).toContain('microsoft-onedrive');
  });

  it('answers a whole template with its variables, and 404 for an unknown id', async () => {
    const zendesk = await p.http<{ custom: boolean; template: { id: string; variables: { name: string; pattern: string }[] } }>(
      'GET',
      '/admin/catalog/zendesk',
    );
    expect(zendesk.status).toBe(200);
    expect(zendesk.body.custom).toBe(false);
    expect(zendesk.body.template.variables.map((v) => v.name)).toEqual(['subdomain']);
    expect((await p.http('GET', '/admin/catalog/no-such-provider')).status).toBe(404);
  });
});

describe('POST /admin/providers from a template', () => {
  it('fills the template, remembers it, and names a missing or mismatched variable', async () => {
    const missing = await p.http<{ fields: Record<string, string[]> }>('POST', '/admin/providers', { template: 'zendesk', clientId: 'zd', clientSecret: 's' });
    expect(missing.status).toBe(400);
    expect(missing.body.fields['variables.subdomain'][0]).toMatch(/subdomain is required/);
    const wrong = await p.http<{ fields: Record<string, string[]> }>('POST', '/admin/providers', {
      template: 'zendesk',
      variables: { subdomain: 'evil.example/x' },
      clientId: 'zd',
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.fields['variables.subdomain'][0]).toMatch(/must match/);
    const unknown = await p.http<{ fields: Record<string, string[]> }>('POST', '/admin/providers', {
      template: 'zendesk',
      variables: { subdomain: 'acme', region: 'eu' },
      clientId: 'zd',
    });
    expect(unknown.body.fields['variables.region']).toEqual(['zendesk has no variable region']);

    const created = await p.http<View>('POST', '/admin/providers', {
      template: 'zendesk',
      variables: { subdomain: 'acme' },
      clientId: 'zd',
      clientSecret: 's3',
    });
    expect(created.status, created.text).toBe(201);
    expect(created.body).toMatchObject({
      name: 'zendesk',
      grantType: 'authorization_code',
      authorizationUrl: 'https://acme.zendesk.com/oauth/authorizations/new',
      tokenUrl: 'https://acme.zendesk.com/oauth/tokens',
      clientAuthMethod: 'client_secret_post',
      tokenRequestFormat: 'json',
      scopes: ['read'],
      pkce: true,
      hasClientSecret: true,
      template: { id: 'zendesk', version: 1 },
      templateUpdate: null,
    });
    expect(JSON.stringify(created.body)).not.toContain('s3');
  });

  it('refuses URLs beside a template, an unknown template, and a grant the template does not serve', async () => {
    const url = await p.http<{ fields: Record<string, string[]> }>('POST', '/admin/providers', {
      template: 'zendesk',
      variables: { subdomain: 'acme' },
      clientId: 'zd',
      name: 'zd-2',
      tokenUrl: 'https://evil.example/token',
    });
    expect(url.status).toBe(400);
    expect(url.body.fields.tokenUrl).toEqual(['tokenUrl comes from template zendesk; leave it out']);
    const none = await p.http<{ fields: Record<string, string[]> }>('POST', '/admin/providers', { template: 'nope', clientId: 'x' });
    expect(none.body.fields.template[0]).toMatch(/not a template of the catalog/);
    const grant = await p.http<{ fields: Record<string, string[]> }>('POST', '/admin/providers', {
      template: 'github',
      grantType: 'client_credentials',
      clientId: 'x',
    });
    expect(grant.body.fields.grantType[0]).toMatch(/serves authorization_code/);
  });
});

describe('custom templates', () => {
  it('adds one (audited), offers its newer version to providers made from it, and applies it only when asked', async () => {
    const saved = await p.http<{ custom: boolean }>('POST', '/admin/catalog', { template: customTemplate(1) });
    expect(saved.status, saved.text).toBe(201);
    expect(saved.body.custom).toBe(true);
    expect((await p.http<{ items: Summary[] }>('GET', '/admin/catalog?search=acme')).body.items).toEqual([
      expect.objectContaining({ id: 'acme-crm', custom: true, version: 1 }),
    ]);
    const provider = await p.http<View>('POST', '/admin/providers', { template: 'acme-crm', variables: { tenant: 'eu1' }, clientId: 'c', clientSecret: 's' });
    expect(provider.body).toMatchObject({ tokenUrl: 'https://eu1.acme-crm.example/oauth/token', template: { id: 'acme-crm', version: 1 } });

    expect((await p.http('POST', '/admin/catalog', { template: customTemplate(1, 'v2/token') })).status).toBe(409);
    expect((await p.http('POST', '/admin/catalog', { template: customTemplate(2, 'v2/token') })).status).toBe(201);
    const offered = await p.http<View>('GET', `/admin/providers/${provider.body.id}`);
    expect(offered.body).toMatchObject({
      tokenUrl: 'https://eu1.acme-crm.example/oauth/token',
      template: { version: 1 },
      templateUpdate: { id: 'acme-crm', version: 2 },
    });

    const applied = await p.http<View>('POST', `/admin/providers/${provider.body.id}/template-update`);
    expect(applied.status, applied.text).toBe(200);
    expect(applied.body).toMatchObject({
      tokenUrl: 'https://eu1.acme-crm.example/v2/token',
      template: { version: 2 },
      templateUpdate: null,
      hasClientSecret: true,
    });
    expect((await p.http('POST', `/admin/providers/${provider.body.id}/template-update`)).status).toBe(409);

    const audit = await p.http<{ items: { action: string; target: { id: string } }[] }>('GET', '/admin/audit?limit=200');
    // Two saves (versions 1 and 2); the refused one left no line.
    expect(audit.body.items.filter((e) => e.target?.id === 'acme-crm' && e.action === 'catalog.template.save')).toHaveLength(2);
  });

  it('refuses a template that fails the checks, naming the problem, and one that shadows the repository', async () => {
    const hostile = customTemplate(1);
    hostile.id = 'loose-hosts';
    hostile.variables[0].pattern = '^.+$';
    const refused = await p.http<{ fields: { template: string[] } }>('POST', '/admin/catalog', { template: hostile });
    expect(refused.status).toBe(400);
    expect(refused.body.fields.template.join('\n')).toMatch(/loose-hosts: variables\.tenant: pattern \^\.\+\$ accepts/);
    const quirk = await p.http<{ fields: { template: string[] } }>('POST', '/admin/catalog', {
      template: { ...customTemplate(1), id: 'quirky', tokenTimeout: 3 },
    });
    expect(quirk.body.fields.template.join('\n')).toMatch(/tokenTimeout/);
    expect((await p.http('POST', '/admin/catalog', { template: { ...customTemplate(1), id: 'zendesk' } })).status).toBe(409);
  });

  it('an operator may read the catalog but not add to it', async () => {
    const owner = (await signIn(p.url, 'admin', ADMIN_PASSWORD)).access_token;
    const operator = (await createAdmin(p.url, owner, 'olga', 'operator')).token;
    expect((await api(p.url, operator, 'GET', '/admin/catalog')).status).toBe(200);
    expect((await api(p.url, operator, 'POST', '/admin/catalog', { template: { ...customTemplate(1), id: 'operators-own' } })).status).toBe(403);
    expect((await api(p.url, operator, 'POST', '/admin/providers', { template: 'github', clientId: 'x' })).status).toBe(403);
  });
});

describe('POST /admin/catalog/import (Nango providers.yaml)', () => {
  const yaml = `
widgets:
    display_name: Widgets Inc
    categories: [crm, popular]
    auth_mode: OAUTH2
    authorization_url: https://\${connectionConfig.subdomain}.widgets.example/oauth/authorize
    token_url: https://\${connectionConfig.subdomain}.widgets.example/oauth/token
    authorization_params:
        response_type: code
        access_type: offline
    token_params:
        grant_type: authorization_code
    refresh_params:
        grant_type: refresh_token
    scope_separator: ','
    default_scopes: [read, write]
    disable_pkce: true
    token_request_auth_method: basic
    proxy:
        base_url: https://\${connectionConfig.subdomain}.widgets.example/api
    connection_config:
        subdomain:
            type: string
            title: Widgets subdomain
            description: The account's subdomain
            pattern: '^[a-z0-9-]+$'
            example: acme
gadgets-cc:
    display_name: Gadgets
    auth_mode: OAUTH2_CC
    body_format: json
    token_url: https://auth.gadgets.example/token
    token_params:
        grant_type: account_credentials
        account_id: \${connectionConfig.accountId}
    connection_config:
        accountId:
            type: string
            pattern: '^[0-9]{1,12}$'
            example: '42'
keyed:
    display_name: An API key
    auth_mode: API_KEY
    proxy:
        base_url: https://api.keyed.example
anywhere:
    auth_mode: OAUTH2
    authorization_url: https://\${connectionConfig.host}/authorize
    token_url: https://\${connectionConfig.host}/token
`;

  it('imports the OAuth 2 entries as custom templates and answers each skipped entry with its reason', async () => {
    const result = await p.http<{ imported: { key: string; id: string; version: number }[]; skipped: { key: string; reason: string }[] }>(
      'POST',
      '/admin/catalog/import',
      yaml,
    );
    expect(result.status, result.text).toBe(201);
    expect(result.body.imported).toEqual([
      { key: 'widgets', id: 'widgets', version: 1 },
      { key: 'gadgets-cc', id: 'gadgets-cc', version: 1 },
    ]);
    expect(result.body.skipped).toEqual([
      { key: 'keyed', reason: 'auth_mode API_KEY is not OAuth 2 (only OAUTH2 and OAUTH2_CC are imported)' },
      { key: 'anywhere', reason: expect.stringContaining('host fills the host') },
    ]);
    const widgets = await p.http<{ template: Record<string, unknown> }>('GET', '/admin/catalog/widgets');
    expect(widgets.body.template).toMatchObject({
      grantTypes: ['authorization_code'],
      authorizationUrl: 'https://{{subdomain}}.widgets.example/oauth/authorize',
      authorizationParams: { access_type: 'offline' },
      scopeSeparator: ',',
      defaultScopes: ['read', 'write'],
      pkce: 'unsupported',
      clientAuthMethod: 'client_secret_basic',
      categories: ['crm'],
      refresh: { refreshTokens: true },
      api: { baseUrl: 'https://{{subdomain}}.widgets.example/api' },
      variables: [expect.objectContaining({ name: 'subdomain', pattern: '^[a-z0-9-]+$', hostParent: 'widgets.example', from: 'provider' })],
    });
    const gadgets = await p.http<View>('POST', '/admin/providers', {
      template: 'gadgets-cc',
      variables: { accountId: '42' },
      clientId: 'g',
      clientSecret: 's',
    });
    expect(gadgets.body).toMatchObject({
      grantType: 'client_credentials',
      clientCredentialsGrantType: 'account_credentials',
      tokenRequestFormat: 'json',
      tokenParams: { account_id: '42' },
      template: { id: 'gadgets-cc', version: 1 },
    });

    const again = await p.http<{ imported: unknown[]; skipped: { key: string; reason: string }[] }>('POST', '/admin/catalog/import', yaml);
    expect(again.body.imported).toEqual([]);
    expect(again.body.skipped).toEqual(expect.arrayContaining([{ key: 'widgets', reason: 'already imported, unchanged (version 1)' }]));
  });

  it('answers 400 for a body that is not YAML or not a mapping', async () => {
    expect((await p.http('POST', '/admin/catalog/import', 'a: [unclosed')).status).toBe(400);
    expect((await p.http('POST', '/admin/catalog/import', '- just\n- a list\n')).status).toBe(400);
    expect((await p.http('POST', '/admin/catalog/import', { yaml: 'as json' })).status).toBe(400);
  });
});

describe("a provider's API settings at the proxy", () => {
  it('sends the token in the header the API takes, with the fixed headers ({{client_id}} filled) over the caller’s', async () => {
    const api = await new FakeOAuthProvider({ apiTokenHeader: 'x-shop-token' }).start();
    try {
      const provider = await p.http<{ id: string }>('POST', '/admin/providers', {
        name: 'shop-api',
        grantType: 'client_credentials',
        clientId: 'shop-client',
        clientSecret: 's',
        tokenUrl: `${api.url}/token`,
        apiTokenHeader: 'X-Shop-Token',
        apiHeaders: { 'Api-Version': '2026-01', 'X-Client': '{{client_id}}' },
      });
      expect(provider.status, provider.text).toBe(201);
      await p.http('POST', '/admin/tokens', { name: 'shop', providerId: provider.body.id, baseUrl: `${api.url}/api/` });
      const answer = await fetch(`${p.url}/proxy/shop/orders`, { headers: { ...(await p.authHeaders()), 'api-version': 'caller-wins-not' } });
      expect(answer.status, await answer.clone().text()).toBe(200);
      const call = api.apiCalls.at(-1)!;
      expect(api.accessTokens.has(call.headers['x-shop-token'] as string)).toBe(true);
      expect(call.authorization).toBeUndefined();
      expect(call.headers).toMatchObject({ 'api-version': '2026-01', 'x-client': 'shop-client' });
    } finally {
      await api.stop();
    }
  });
});
