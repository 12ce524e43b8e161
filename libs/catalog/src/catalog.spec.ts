import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterEach, describe, expect, it } from 'vitest';
import { Catalog, loadCatalog, PROVIDERS_DIRECTORY } from './catalog.js';
import { checkTemplate } from './check.js';
import { lockProblems, readLock, templateHash } from './lock.js';
import { CatalogError, describeProblem } from './problem.js';
import { TEMPLATE_SCHEMA_URL } from './schema-url.js';
import { TEMPLATE_CATEGORIES, type ProviderTemplate } from './template.js';
import { staysWithin } from './url-template.js';
import { GENERATED_VALIDATOR, validatorSource } from './validator-source.js';

const files = readdirSync(PROVIDERS_DIRECTORY).filter((f) => f.endsWith('.json'));
const read = (file: string): unknown => JSON.parse(readFileSync(join(PROVIDERS_DIRECTORY, file), 'utf8'));
const messages = (data: unknown) => checkTemplate(data).map(describeProblem);

/** A small valid template; each test changes one thing about it. */
function acme(): ProviderTemplate {
  return {
    id: 'acme',
    version: 1,
    name: 'Acme',
    categories: ['crm'],
    docsUrl: 'https://developer.acme.example/oauth',
    grantTypes: ['authorization_code'],
    variables: [
      {
        name: 'subdomain',
        description: "The account's subdomain",
        pattern: '^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$',
        example: 'shop',
        from: 'provider',
        hostParent: 'acme.example',
      },
    ],
    authorizationUrl: 'https://{{subdomain}}.acme.example/oauth/authorize',
    tokenUrl: 'https://{{subdomain}}.acme.example/oauth/token',
    defaultScopes: ['read'],
    clientAuthMethod: 'client_secret_post',
    pkce: 'supported',
    api: { baseUrl: 'https://{{subdomain}}.acme.example/api/v2', check: { method: 'GET', path: '/me', expectedStatus: 200 } },
    sources: [
      {
        url: 'https://developer.acme.example/oauth',
        supports: ['grantTypes', 'variables', 'authorizationUrl', 'tokenUrl', 'defaultScopes', 'clientAuthMethod', 'pkce', 'api'],
      },
    ],
  };
}

describe('the catalog in the repository', () => {
  it('holds at least 60 providers', () => {
    expect(files.length).toBeGreaterThanOrEqual(60);
  });

  it.each(files)('%s passes the schema and every static rule', (file) => {
    expect(messages(read(file))).toEqual([]);
  });

  it('loads as a whole: every id is its file name and unique', () => {
    const catalog = loadCatalog();
    expect(catalog.size).toBe(files.length);
    for (const file of files) expect(catalog.get(file.replace(/\.json$/, ''))?.id).toBe(file.replace(/\.json$/, ''));
  });

  it('records every template at its current version in catalog.lock.json (content changes raise the version)', () => {
    expect(lockProblems(loadCatalog().templates(), readLock()).map(describeProblem)).toEqual([]);
  });

  it('compiles the schema ahead of time: generated/template-validator.ts is what the current schema gives', async () => {
    expect(readFileSync(GENERATED_VALIDATOR, 'utf8')).toBe(await validatorSource());
  });

  it('has a valid draft 2020-12 schema', () => {
    const schema = JSON.parse(readFileSync(TEMPLATE_SCHEMA_URL, 'utf8')) as object;
    expect(() => new Ajv2020({ strict: true, allowUnionTypes: true }).compile(schema)).not.toThrow();
  });

  it("names in TEMPLATE_CATEGORIES exactly the schema's categories", () => {
    const schema = JSON.parse(readFileSync(TEMPLATE_SCHEMA_URL, 'utf8')) as { $defs: { category: { enum: string[] } } };
    expect([...TEMPLATE_CATEGORIES]).toEqual(schema.$defs.category.enum);
  });
});

describe('a template', () => {
  it('that is complete and sourced passes', () => {
    expect(messages(acme())).toEqual([]);
  });

  it('with every optional field the types know also passes the schema (types and schema agree)', () => {
    const full: ProviderTemplate = {
      ...acme(),
      $schema: '../schema/provider-template.schema.json',
      description: 'All of it',
      grantTypes: ['authorization_code', 'client_credentials', 'password'],
      variables: [
        ...acme().variables!,
        {
          name: 'instance',
          label: 'Instance',
          description: 'API origin',
          pattern: '^https://[a-z0-9-]{1,63}\\.acme\\.example$',
          example: 'https://eu1.acme.example',
          from: 'tokenResponse',
          key: 'instance_url',
          hostParent: 'acme.example',
        },
        { name: 'realm', description: 'Company', pattern: '^[0-9]{1,20}$', example: '42', default: '1', from: 'callback', key: 'realmId' },
      ],
      refreshUrl: 'https://{{subdomain}}.acme.example/oauth/refresh',
      revocationUrl: 'https://{{subdomain}}.acme.example/oauth/revoke',
      defaultScopes: ['read', 'offline'],
      scopeSeparator: ',',
      authorizationParams: { access_type: 'offline' },
      tokenParams: { audience: 'api' },
      clientCredentialsGrantType: 'account_credentials',
      tokenRequestFormat: 'json',
      tokenResponse: {
        format: 'json',
        accessTokenPath: 'data.access_token',
        refreshTokenPath: 'data.refresh_token',
        expiresInPath: 'data.expires_in',
        expiresInUnit: 'seconds',
        expiresAtPath: 'data.expires_at',
        scopeSeparator: ',',
        errorWith200: { path: 'ok', okValue: true },
      },
      accessTokenLifetimeSeconds: 3600,
      refresh: {
        refreshTokens: true,
        rotating: true,
        lifetimeSeconds: 31536000,
        idleLifetimeSeconds: 7776000,
        requires: { scopes: ['offline'], authorizationParams: { access_type: 'offline' } },
        grantParam: 'grant_type',
        grantValue: 'refresh_token',
        params: { audience: 'api' },
      },
      api: {
        baseUrl: '{{instance}}/services/data',
        tokenHeader: { name: 'X-Acme-Token', prefix: '' },
        headers: { 'Acme-Version': '2024-01-01' },
        check: { method: 'POST', path: '/companies/{{realm}}/ping', body: '{}', expectedStatus: 200 },
      },
      notes: 'Everything',
      unconfirmed: ['the refresh-token lifetime of sandboxes'],
      sources: [
        {
          url: 'https://developer.acme.example/oauth',
          title: 'OAuth',
          via: 'https://github.com/acme/docs/blob/main/oauth.md',
          supports: [
            'grantTypes',
            'variables',
            'authorizationUrl',
            'tokenUrl',
            'refreshUrl',
            'revocationUrl',
            'defaultScopes',
            'scopeSeparator',
            'authorizationParams',
            'tokenParams',
            'clientCredentialsGrantType',
            'clientAuthMethod',
            'pkce',
            'tokenRequestFormat',
            'tokenResponse',
            'accessTokenLifetimeSeconds',
            'refresh',
            'api',
          ],
        },
      ],
    };
    expect(messages(full)).toEqual([]);
  });

  it('with a quirk the catalog does not know is refused, naming the provider and the field', () => {
    expect(messages({ ...acme(), tokenQuirk: 'nested' })).toEqual([
      'acme: tokenQuirk: is not a field the catalog knows (an unknown quirk or a typo): the schema lists every setting a template may hold',
    ]);
    expect(messages({ ...acme(), refresh: { refreshTokens: true, rotatesTwice: true } })).toEqual([
      'acme: refresh.rotatesTwice: is not a field the catalog knows (an unknown quirk or a typo): the schema lists every setting a template may hold',
    ]);
  });

  it('with an undeclared variable is refused', () => {
    expect(messages({ ...acme(), revocationUrl: 'https://{{subdomain}}.acme.example/{{region}}/revoke' })).toContain(
      'acme: revocationUrl: uses {{region}}, which is not declared in variables (name, description, pattern, example)',
    );
  });

  it('with a variable declared but never used, an unanchored pattern or an example that does not match it is refused', () => {
    const template = acme();
    template.variables!.push({ name: 'region', description: 'Region', pattern: '[a-z]+', example: 'EU', from: 'provider' });
    expect(messages(template)).toEqual([
      'acme: variables.region: is declared but no URL or parameter uses it',
      'acme: variables.region.pattern: must be anchored (^…$) so that it constrains the whole value',
      'acme: variables.region.example: "EU" does not match its pattern',
    ]);
  });

  describe('whose variable fills a host', () => {
    it('must name the parent domain it keeps requests on', () => {
      const template = acme();
      delete template.variables![0].hostParent;
      expect(messages(template)).toContain(
        'acme: variables.subdomain: fills the host of authorizationUrl but declares no hostParent: a host variable must name the domain it keeps requests on',
      );
    });

    it('is refused when its pattern lets a value move the request to another host', () => {
      const template = acme();
      template.variables![0].pattern = '^.+$';
      const found = messages(template);
      expect(found).toContainEqual(
        expect.stringMatching(/^acme: variables\.subdomain: pattern \^\.\+\$ accepts "evil\.example\/shop", which moves authorizationUrl off acme\.example/),
      );
      expect(found).toContainEqual(expect.stringMatching(/accepts "shop@evil\.example"/));
    });

    it('passes when its pattern permits one DNS label, whatever an attacker tries', () => {
      const template = acme();
      template.variables![0].pattern = '^[a-z0-9-]+$';
      expect(messages(template)).toEqual([]);
    });

    it('as a whole origin read from the token response must pin the parent domain, not just end with it', () => {
      const template = acme();
      template.variables!.push({
        name: 'instance',
        description: 'API origin',
        pattern: '^https://.+\\.acme\\.example$',
        example: 'https://eu1.acme.example',
        from: 'tokenResponse',
        key: 'instance_url',
        hostParent: 'acme.example',
      });
      template.api = { baseUrl: '{{instance}}/api' };
      expect(messages(template)).toContainEqual(
        expect.stringMatching(
          /^acme: variables\.instance: pattern .* accepts "https:\/\/evil\.example\/\.acme\.example", which moves api\.baseUrl off acme\.example/,
        ),
      );
      template.variables![1].pattern = '^https://[a-z0-9-]{1,63}(?:\\.[a-z0-9-]{1,63})*\\.acme\\.example$';
      expect(messages(template)).toEqual([]);
    });

    it('whose example lands elsewhere is refused', () => {
      const template = acme();
      template.tokenUrl = 'https://{{subdomain}}.acme-login.example/oauth/token';
      expect(messages(template)).toContain(
        'acme: tokenUrl: with the examples filled in (https://shop.acme-login.example/oauth/token) is not an https URL on acme.example or a host under it',
      );
    });
  });

  it('whose URL no source backs is refused, naming the URL', () => {
    const template = acme();
    template.revocationUrl = 'https://{{subdomain}}.acme.example/oauth/revoke';
    expect(messages(template)).toEqual([
      `acme: revocationUrl: this URL is backed by no source: add the provider's documentation page that states it to sources (with "revocationUrl" in its supports), or leave the field out`,
    ]);
  });

  it('whose source names a field the template does not set, or is another catalog, is refused', () => {
    const template = acme();
    template.sources.push({ url: 'https://nango.dev/docs/integrations/acme', supports: ['refresh.rotating'] });
    expect(messages(template)).toEqual([
      'acme: sources[1].supports: names "refresh.rotating", which this template does not set',
      "acme: sources[1].url: https://nango.dev/docs/integrations/acme is another integration catalog, not the provider's documentation",
    ]);
  });

  it('whose fields disagree is refused', () => {
    const template = acme();
    delete template.authorizationUrl;
    template.refresh = { refreshTokens: true, requires: { scopes: ['offline_access'], authorizationParams: { access_type: 'offline' } } };
    template.authorizationParams = { state: 'fixed' };
    template.sources[0].supports = template.sources[0].supports.filter((f) => f !== 'authorizationUrl').concat('refresh', 'authorizationParams');
    expect(messages(template)).toEqual([
      'acme: authorizationUrl: is required for the authorization_code grant',
      'acme: authorizationParams.state: is set by the engine itself (scopes go in defaultScopes)',
      'acme: refresh.requires.scopes: "offline_access" is needed for a refresh token but is not in defaultScopes',
      'acme: refresh.requires.authorizationParams.access_type: access_type=offline is needed for a refresh token but authorizationParams does not set it',
    ]);
  });

  it('cannot fill a URL used before the token response with a value read from it', () => {
    const template = acme();
    template.variables!.push({ name: 'dc', description: 'Data centre', pattern: '^[a-z]{2}[0-9]$', example: 'us1', from: 'tokenResponse', key: 'dc' });
    template.tokenUrl = 'https://{{subdomain}}.acme.example/{{dc}}/oauth/token';
    expect(messages(template)).toEqual(['acme: variables.dc: is read from the token response, so it cannot fill tokenUrl, which is used before that']);
  });

  it('may not list a field it sets as unconfirmed', () => {
    expect(messages({ ...acme(), unconfirmed: ['pkce: not stated'] })).toEqual(['acme: unconfirmed[0]: lists pkce as unconfirmed, but the template sets it']);
  });
});

describe('loading a catalog directory', () => {
  let directory: string | undefined;
  afterEach(() => directory && rmSync(directory, { recursive: true, force: true }));
  const write = (files: Record<string, unknown>) => {
    directory = mkdtempSync(join(tmpdir(), 'catalog-'));
    for (const [name, data] of Object.entries(files)) writeFileSync(join(directory, name), typeof data === 'string' ? data : JSON.stringify(data));
    return directory;
  };

  it('refuses the whole catalog, listing every problem, when one file is wrong', () => {
    const dir = write({ 'acme.json': acme(), 'other.json': { ...acme(), id: 'acme' }, 'broken.json': '{ nope' });
    const error = (() => {
      try {
        loadCatalog(dir);
      } catch (e) {
        return e as CatalogError;
      }
    })();
    expect(error).toBeInstanceOf(CatalogError);
    expect(error!.problems.map(describeProblem)).toEqual([
      expect.stringMatching(/^broken: broken\.json is not valid JSON/),
      'other: id: is "acme" but the file is other.json: a template\'s id is its file name',
      'acme: id: is used by acme.json too',
    ]);
  });

  it('lists templates by words and category', () => {
    const catalog = new Catalog([acme(), { ...acme(), id: 'zeta', name: 'Zeta Mail', description: 'Mail for teams', categories: ['communication'] }]);
    expect(catalog.list().map((t) => t.id)).toEqual(['acme', 'zeta']);
    expect(catalog.list({ search: 'MAIL teams' }).map((t) => t.id)).toEqual(['zeta']);
    expect(catalog.list({ category: 'crm' }).map((t) => t.id)).toEqual(['acme']);
    expect(catalog.categories()).toEqual(['communication', 'crm']);
    expect(catalog.list({ search: 'acme' })[0]).toEqual({
      id: 'acme',
      version: 1,
      name: 'Acme',
      description: null,
      categories: ['crm'],
      docsUrl: 'https://developer.acme.example/oauth',
      grantTypes: ['authorization_code'],
    });
  });
});

describe('versions', () => {
  it('a changed template must raise its version; a new one must be recorded', () => {
    const template = acme();
    const lock = { acme: { version: 1, sha256: templateHash(template) } };
    expect(lockProblems([template], lock)).toEqual([]);
    const changed = { ...template, tokenUrl: 'https://{{subdomain}}.acme.example/oauth2/token' };
    expect(lockProblems([changed], lock).map(describeProblem)).toEqual([
      'acme: version: the template changed but its version is still 1: raise it, then run npm run catalog:lock',
    ]);
    expect(lockProblems([{ ...changed, version: 2 }], lock).map(describeProblem)).toEqual([
      'acme: version: catalog.lock.json records version 1: then run npm run catalog:lock',
    ]);
    expect(lockProblems([template, { ...template, id: 'beta' }], lock).map(describeProblem)).toEqual([
      'beta: version: is not in catalog.lock.json (a new template): then run npm run catalog:lock',
    ]);
  });

  it('key order and the editor hint do not count as a change', () => {
    const template = acme();
    const reordered = Object.fromEntries(Object.entries(template).reverse()) as unknown as ProviderTemplate;
    expect(templateHash({ ...reordered, $schema: 'x' })).toBe(templateHash(template));
  });
});

describe('staysWithin (the engine-side guard for filled host variables)', () => {
  it.each([
    ['https://shop.acme.example/oauth', true],
    ['https://acme.example/oauth', true],
    ['https://SHOP.Acme.Example./x', true],
    ['https://evil.example/.acme.example', false],
    ['https://shop.acme.example@evil.example/', false],
    ['https://shop.acme.example.evil.example/', false],
    ['https://evilacme.example/', false],
    ['https://shop.acme.example:8443/', false],
    ['http://shop.acme.example/', false],
    ['not a url', false],
  ])('%s → %s', (url, expected) => {
    expect(staysWithin(url, 'acme.example')).toBe(expected);
  });
});
