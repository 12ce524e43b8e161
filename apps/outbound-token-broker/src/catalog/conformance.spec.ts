import { checkTemplate, describeProblem, type ProviderTemplate, type TemplateGrantType } from '@tessera/catalog';
import { PROVIDER_SETTINGS, STORED_SETTING_NAMES, type CreateProviderRequest, type GrantType } from '@tessera/contracts';
import { Egress, EgressPolicy, type EgressLimits } from '@tessera/egress';
import { CatalogFakeProvider, type ProviderRequest, type TemplateBehaviour } from '@tessera/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repositoryTemplates } from './catalog.service.js';
import { AuthorizationCodeClient, type StateHooks } from '../oauth/authorization-code-client.js';
import { clientCredentialsGrant, refreshGrant, revokeAtProvider } from '../oauth/grants.js';
import { codeFlowProvider, resolveProvider, type ProviderRecord, type ResolvedProvider } from '../oauth/resolved-provider.js';
import { mapTokenResponse } from '../oauth/token-response.js';
import { fillTokenUrl } from '../oauth/token-variables.js';
import { providerFromTemplate, templateBaseUrl, unknownTemplateFields } from './template-provider.js';

// The conformance harness (issue 22): every template of the catalog run through the broker's own OAuth code against a
// local provider that behaves as the template says. One process, one fake, no platform start.

const CALLBACK = 'https://tessera.test/oauth/callback';
const STATE = 'conformance-state';

/**
 * The test transport: every `https://<host>/<path>` goes to the one local fake as `/<host>/<path>`, so no template's
 * host is ever called and one process serves them all. Everything else (egress checks, timeouts) is the real Egress.
 */
class RoutingEgress extends Egress {
  constructor(private readonly fake: CatalogFakeProvider) {
    super(new EgressPolicy(true));
  }

  override fetch(url: string | URL, init?: Parameters<Egress['fetch']>[1], overrides?: Partial<EgressLimits>): ReturnType<Egress['fetch']> {
    const parsed = new URL(url);
    if (parsed.protocol !== 'https:') throw new Error(`${parsed.href}: a template URL must be https`);
    return super.fetch(`${this.fake.url}/${parsed.host}${parsed.pathname}${parsed.search}`, init, overrides);
  }
}

/** Every problem a template has before any flow is run: the catalog's checks, and fields the engine does not know. */
function staticProblems(template: ProviderTemplate): string[] {
  return [
    ...checkTemplate(template).map(describeProblem),
    ...unknownTemplateFields(template).map(
      (field) => `${template.id}: ${field}: is a quirk the engine does not know (add it to TEMPLATE_FIELDS and the engine)`,
    ),
  ];
}

/** The example of every variable, by where it comes from: the admin's (provider) and each token's. */
function exampleVariables(template: ProviderTemplate): { provider: Record<string, string>; token: Record<string, string> } {
  const of = (from: string) => Object.fromEntries((template.variables ?? []).filter((v) => v.from === from).map((v) => [v.name, v.example]));
  return { provider: of('provider'), token: { ...of('token'), ...of('tokenResponse'), ...of('callback') } };
}

/** The variables each token answer brings (Salesforce's instance_url). */
const fromAnswers = (template: ProviderTemplate) => (template.variables ?? []).filter((v) => v.from === 'tokenResponse');

/** A provider record as the broker would store one made from the template: the settings' defaults under the template's. */
function recordFor(template: ProviderTemplate, grantType: GrantType): ProviderRecord {
  const request = providerFromTemplate(template, {
    template: template.id,
    grantType,
    clientId: `client ${template.id}`,
    clientSecret: `secret:${template.id}`,
    variables: exampleVariables(template).provider,
  } as CreateProviderRequest);
  const defaults = Object.fromEntries(STORED_SETTING_NAMES.map((name) => [name, PROVIDER_SETTINGS[name].default]));
  return { ...defaults, ...request, id: `00000000-0000-4000-8000-${String(template.version).padStart(12, '0')}`, version: template.version } as ProviderRecord;
}

/** What the fake must hold the client to, read off the template (its absent facts as the engine then behaves). */
function behaviourOf(template: ProviderTemplate, record: ProviderRecord): TemplateBehaviour {
  const response = template.tokenResponse ?? {};
  return {
    clientId: record.clientId,
    clientSecret: `secret:${template.id}`,
    // Templates state only the secret methods; private_key_jwt is the provider's, not a template's.
    clientAuth: record.clientAuthMethod as TemplateBehaviour['clientAuth'],
    requestFormat: record.tokenRequestFormat,
    revocationFormat: record.revocationRequestFormat,
    pkce: template.pkce ?? 'supported',
    clientCredentialsGrantType: record.clientCredentialsGrantType ?? 'client_credentials',
    refreshGrantParam: record.refreshGrantParam,
    refreshGrantValue: record.refreshGrantValue,
    refreshTokens: template.refresh?.refreshTokens === true,
    answer: {
      format: response.format ?? 'json',
      accessTokenPath: record.accessTokenPath,
      refreshTokenPath: record.refreshTokenPath,
      expiresInPath: record.expiresInPath,
      ...(response.expiresAtPath ? { expiresAtPath: response.expiresAtPath } : { expiresIn: record.expiresInUnit === 'milliseconds' ? 3_600_000 : 3600 }),
      ...(response.errorWith200 ? { okFlag: { path: response.errorWith200.path, value: response.errorWith200.okValue } } : {}),
      values: Object.fromEntries(fromAnswers(template).map((v) => [v.key!, v.example])),
    },
  };
}

/** The authorization URL with the one random part (the PKCE challenge) named, for an exact comparison. */
function comparableUrl(url: string): string {
  return url.replace(/code_challenge=[A-Za-z0-9_-]{43}/, 'code_challenge=<S256 of the verifier>');
}

interface FlowResult {
  authorizationUrl?: string;
  requests: ProviderRequest[];
  tokens: { accessToken: string; refreshToken?: string; values?: Record<string, string> }[];
}

/** Runs the template's flow through the broker's own OAuth code, against the fake: what a provider made from it would do. */
async function runFlow(template: ProviderTemplate, grantType: TemplateGrantType, fake: CatalogFakeProvider): Promise<FlowResult> {
  const record = recordFor(template, grantType);
  fake.use(behaviourOf(template, record));
  const egress = new RoutingEgress(fake);
  const resolved: ResolvedProvider = resolveProvider(record, `secret:${template.id}`, { variables: exampleVariables(template).token, scopes: null }, egress);
  const now = () => new Date();
  const result: FlowResult = { requests: fake.requests, tokens: [] };
  let refreshToken: string | undefined;
  if (grantType === 'authorization_code') {
    const client = new AuthorizationCodeClient(CALLBACK, egress);
    let verifier: string | undefined;
    const hooks: StateHooks = {
      save: (codeVerifier) => {
        verifier = codeVerifier;
        return Promise.resolve(STATE);
      },
      consume: (state) => Promise.resolve(state === STATE ? { ok: true, codeVerifier: verifier } : { ok: false, reason: 'unknown state' }),
    };
    const flow = codeFlowProvider(resolved);
    result.authorizationUrl = await client.authorizationUrl(flow, { scopes: resolved.scopes }, hooks);
    const consent = await egress.fetch(result.authorizationUrl, { redirect: 'manual' });
    const back = new URL(consent.headers.get('location')!);
    const exchanged = await client.exchange(flow, { code: back.searchParams.get('code')!, state: back.searchParams.get('state')! }, hooks);
    const token = mapTokenResponse(exchanged.response, resolved.mapping, now());
    result.tokens.push(token);
    refreshToken = token.refreshToken;
  } else if (grantType === 'client_credentials') {
    result.tokens.push(await clientCredentialsGrant(resolved, now));
  }
  if (refreshToken) result.tokens.push(await refreshGrant(resolved, refreshToken, now));
  if (resolved.urls.revocationUrl) await revokeAtProvider(resolved, result.tokens.at(-1)!.accessToken, 'access_token');
  return result;
}

/** The URL a template field becomes for a provider made from it with the examples, or undefined. */
function filled(url: string | undefined, template: ProviderTemplate): URL | undefined {
  if (!url) return undefined;
  const { provider, token } = exampleVariables(template);
  // An origin an answer brings is filled as it is (checked against its hostParent); every other token variable is encoded.
  const origins = new Set(
    fromAnswers(template)
      .filter((v) => v.hostParent)
      .map((v) => v.name),
  );
  return new URL(
    url.replace(/\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}/g, (_, name: string) => provider[name] ?? (origins.has(name) ? token[name] : encodeURIComponent(token[name]))),
  );
}

/** Checks one request the fake received against the template: where it went, how it was encoded and authenticated. */
function checkRequest(
  request: ProviderRequest | undefined,
  at: URL | undefined,
  template: ProviderTemplate,
  record: ProviderRecord,
  what: string,
  format: string,
): void {
  const where = `${template.id}: ${what}`;
  expect(request, `${where}: the fake received no request`).toBeDefined();
  expect(`${request!.host}${request!.path}`, `${where}: host and path`).toBe(`${at!.host}${at!.pathname}`);
  expect(request!.method, `${where}: method`).toBe('POST');
  const type = { form: 'application/x-www-form-urlencoded', json: 'application/json', query: undefined }[format];
  expect(request!.contentType, `${where}: content type of a ${format} request`).toBe(type);
  if (format === 'query') expect(request!.rawBody, `${where}: a query-format request has no body`).toBe('');
  if (record.clientAuthMethod === 'client_secret_basic') {
    expect(request!.headers.authorization, `${where}: HTTP Basic`).toMatch(/^Basic /);
    expect(request!.params, `${where}: no secret in the parameters with Basic`).not.toHaveProperty('client_secret');
  } else {
    expect(request!.params, `${where}: client in the parameters`).toMatchObject({ client_id: record.clientId, client_secret: `secret:${template.id}` });
    expect(request!.headers.authorization, `${where}: no Authorization header with client_secret_post`).toBeUndefined();
  }
}

const catalog = repositoryTemplates();
const fake = new CatalogFakeProvider();
const authorizationUrls: Record<string, string> = {};
beforeAll(() => fake.start());
afterAll(async () => {
  await fake.stop();
});

describe('the catalog conformance harness', () => {
  // jwt_bearer's assertions are checked below for what the template states, and end to end against a provider that
  // verifies the signatures (tools/platform/test/broker/broker-assertions.test.ts).
  const cases = catalog
    .templates()
    .flatMap((template) => template.grantTypes.filter((g) => g !== 'password' && g !== 'jwt_bearer').map((grant) => [template, grant] as const));
  const assertionTemplates = catalog.templates().filter((template) => template.grantTypes.includes('jwt_bearer'));

  it.each(assertionTemplates.map((t) => [t.id, t] as const))('%s (jwt_bearer): the settings its assertion takes', (_name, template) => {
    expect(staticProblems(template), 'problems before any flow').toEqual([]);
    const record = recordFor(template, 'jwt_bearer');
    expect(record.grantType).toBe('jwt_bearer');
    expect(record.tokenUrl).toBe(filled(template.tokenUrl, template)!.toString());
    if (template.assertion?.audience) expect(record.assertionAudience).toBe(template.assertion.audience);
    if (template.assertion?.scope) expect(record.assertionScope).toBe(template.assertion.scope);
    if (template.assertion?.algorithm) expect(record.assertionAlgorithm).toBe(template.assertion.algorithm);
  });

  it.each(cases.map(([t, g]) => [`${t.id} (${g})`, t, g] as const))('%s: builds the expected requests and gets tokens', async (_name, template, grantType) => {
    expect(staticProblems(template), 'problems before any flow').toEqual([]);
    const record = recordFor(template, grantType);
    const result = await runFlow(template, grantType, fake);
    const requests = [...result.requests];

    if (grantType === 'authorization_code') {
      const url = new URL(result.authorizationUrl!);
      const expected = filled(template.authorizationUrl, template)!;
      expect(`${url.origin}${url.pathname}`, `${template.id}: authorization endpoint`).toBe(`${expected.origin}${expected.pathname}`);
      const query = Object.fromEntries(url.searchParams);
      expect(query, `${template.id}: authorization parameters`).toMatchObject({
        response_type: 'code',
        client_id: record.clientId,
        redirect_uri: CALLBACK,
        state: STATE,
        ...(record.authorizationParams ?? {}),
        ...(record.scopes.length ? { scope: record.scopes.join(record.scopeSeparator) } : {}),
      });
      if (template.pkce === 'unsupported') expect(query, `${template.id}: no PKCE for a provider that does not take it`).not.toHaveProperty('code_challenge');
      else expect(query, `${template.id}: PKCE S256`).toMatchObject({ code_challenge_method: 'S256' });
      authorizationUrls[template.id] = comparableUrl(result.authorizationUrl!);
      const consent = requests.shift()!;
      expect(consent.method, `${template.id}: the consent request`).toBe('GET');

      const exchange = requests.shift();
      checkRequest(exchange, filled(template.tokenUrl, template), template, record, 'code exchange', record.tokenRequestFormat);
      expect(exchange!.params, `${template.id}: code exchange parameters`).toMatchObject({
        grant_type: 'authorization_code',
        code: expect.stringMatching(/^code-/),
        redirect_uri: CALLBACK,
        ...(record.tokenParams ?? {}),
      });
      if (query.code_challenge) expect(exchange!.params.code_verifier, `${template.id}: PKCE verifier`).toMatch(/^[A-Za-z0-9._~-]{43,128}$/);
    } else {
      const request = requests.shift();
      checkRequest(request, filled(template.tokenUrl, template), template, record, 'client-credentials request', record.tokenRequestFormat);
      expect(request!.params, `${template.id}: client-credentials parameters`).toMatchObject({
        grant_type: template.clientCredentialsGrantType ?? 'client_credentials',
        ...(record.tokenParams ?? {}),
        ...(record.scopes.length ? { scope: record.scopes.join(record.scopeSeparator) } : {}),
      });
    }
    expect(result.tokens[0].accessToken, `${template.id}: the access token, read where the template says`).toMatch(/^at-\d+$/);
    const answered = Object.fromEntries(fromAnswers(template).map((v) => [v.name, v.example]));
    for (const token of result.tokens) expect(token.values ?? {}, `${template.id}: the values its token answers carry`).toEqual(answered);
    if (template.api?.baseUrl) {
      const { token } = exampleVariables(template);
      const base = templateBaseUrl(template, exampleVariables(template).provider)!;
      const apiUrl = new URL(fillTokenUrl(base, record, { variables: token, responseValues: result.tokens.at(-1)!.values }, 'api.baseUrl'));
      expect(apiUrl.href, `${template.id}: the API base URL a token of it calls`).toBe(filled(template.api.baseUrl, template)!.href);
    }

    if (template.refresh?.refreshTokens && grantType === 'authorization_code') {
      expect(result.tokens[0].refreshToken, `${template.id}: the refresh token`).toMatch(/^rt-\d+$/);
      const refresh = requests.shift();
      checkRequest(refresh, filled(template.refreshUrl ?? template.tokenUrl, template), template, record, 'refresh', record.tokenRequestFormat);
      expect(refresh!.params, `${template.id}: refresh parameters`).toMatchObject({
        ...(Object.keys(record.refreshParams).length ? record.refreshParams : record.tokenParams),
        [record.refreshGrantParam]: record.refreshGrantValue,
        refresh_token: result.tokens[0].refreshToken,
      });
      expect(result.tokens[1].accessToken, `${template.id}: the refreshed access token`).toMatch(/^at-\d+$/);
    }
    if (template.revocationUrl) {
      const revocation = requests.shift();
      checkRequest(revocation, filled(template.revocationUrl, template), template, record, 'revocation', record.revocationRequestFormat);
      expect(revocation!.params, `${template.id}: revocation parameters`).toMatchObject({
        token: result.tokens.at(-1)!.accessToken,
        token_type_hint: 'access_token',
      });
    }
    expect(requests, `${template.id}: no request beyond those`).toEqual([]);
  });

  it('builds exactly the authorization URL recorded for each template (reviewed in authorization-urls.json)', async () => {
    const sorted = Object.fromEntries(Object.entries(authorizationUrls).sort(([a], [b]) => (a < b ? -1 : 1)));
    await expect(`${JSON.stringify(sorted, null, 2)}\n`).toMatchFileSnapshot('./conformance/authorization-urls.json');
  });
});

describe('the harness fails a template by name', () => {
  const base = catalog.get('zendesk')!;

  it('for an undeclared variable, a quirk the engine does not know, and a URL without a source', () => {
    const undeclared = { ...base, id: 'broken', tokenUrl: 'https://{{subdomain}}.zendesk.com/oauth/{{region}}/tokens' };
    expect(staticProblems(undeclared).join('\n')).toMatch(/broken: tokenUrl: .*region/);
    const unknownQuirk = { ...base, id: 'quirky', tokenResponse: { accessTokenPath: 'access_token', nonce: 'x' } } as unknown as ProviderTemplate;
    expect(staticProblems(unknownQuirk).join('\n')).toMatch(/quirky: tokenResponse.*nonce/);
    expect(unknownTemplateFields({ ...base, rateLimit: 3 } as unknown as ProviderTemplate)).toEqual(['rateLimit']);
    const unsourced = { ...base, id: 'unsourced', revocationUrl: 'https://{{subdomain}}.zendesk.com/oauth/revoke' };
    expect(staticProblems(unsourced).join('\n')).toMatch(/unsourced: revocationUrl: this URL is backed by no source/);
  });

  it('for a template whose provider does not behave as it says (the fake holds the client to the template)', async () => {
    const wrongAuth = { ...base, id: 'wrong-auth', clientAuthMethod: 'client_secret_basic' as const };
    const record = recordFor(wrongAuth, 'authorization_code');
    fake.use({ ...behaviourOf(wrongAuth, record), clientAuth: 'client_secret_post' });
    const egress = new RoutingEgress(fake);
    const resolved = resolveProvider(record, 'secret:wrong-auth', { variables: {}, scopes: null }, egress);
    await expect(clientCredentialsGrant(resolved, () => new Date())).rejects.toThrow(/invalid_client/);
  });
});
