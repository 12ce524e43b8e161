import type { CatalogProblem } from './problem.js';
import { factPaths } from './sources.js';
import { URL_FIELDS, urlField, type ProviderTemplate } from './template.js';
import { placeholders } from './url-template.js';

/** Parameters the engine sets itself in an authorization request; a template setting them would fight it. */
const ENGINE_AUTHORIZATION_PARAMS = ['client_id', 'redirect_uri', 'response_type', 'state', 'scope', 'code_challenge', 'code_challenge_method'];
/** …and in token requests (the grant type of client credentials has its own field). */
const ENGINE_TOKEN_PARAMS = [
  'grant_type',
  'code',
  'redirect_uri',
  'client_id',
  'client_secret',
  'code_verifier',
  'refresh_token',
  'username',
  'password',
  'scope',
];

/** The one placeholder an API header may hold: the provider's client ID, which some APIs want beside the token. */
const CLIENT_ID_PLACEHOLDER = 'client_id';

/** URL fields a value read from the token response or the callback cannot fill: they are used before it exists. */
const TOO_EARLY: Record<'tokenResponse' | 'callback', readonly string[]> = {
  tokenResponse: ['authorizationUrl', 'tokenUrl', 'authorizationParams', 'tokenParams'],
  callback: ['authorizationUrl', 'authorizationParams'],
};

function anchored(pattern: string): boolean {
  return pattern.startsWith('^') && pattern.endsWith('$') && !pattern.endsWith('\\$');
}

/** Every {{variable}} declared and used, every declared one well-formed, its example and default matching it. */
export function variableProblems(template: ProviderTemplate): CatalogProblem[] {
  const problems: CatalogProblem[] = [];
  const add = (field: string, message: string) => problems.push({ provider: template.id, field, message });
  const variables = template.variables ?? [];
  const declared = new Map(variables.map((v) => [v.name, v]));
  const used = new Map<string, string[]>();

  const templated: [string, string][] = URL_FIELDS.flatMap((f) => {
    const value = urlField(template, f);
    return value ? [[f, value] as [string, string]] : [];
  });
  if (template.api?.check) templated.push(['api.check.path', template.api.check.path]);
  for (const [field, value] of templated) {
    for (const name of placeholders(value)) {
      used.set(name, [...(used.get(name) ?? []), field]);
      if (!declared.has(name)) add(field, `uses {{${name}}}, which is not declared in variables (name, description, pattern, example)`);
    }
  }
  // Parameters may carry a variable too (Auth0's audience, the id of the account a token acts for); an API header may
  // only repeat the provider's client ID (Twitch's Client-Id), which the engine knows.
  for (const [field, params] of [
    ['authorizationParams', template.authorizationParams],
    ['tokenParams', template.tokenParams],
    ['refresh.params', template.refresh?.params],
    ['api.headers', template.api?.headers],
  ] as const) {
    for (const [key, value] of Object.entries(params ?? {})) {
      for (const name of placeholders(value)) {
        if (field === 'api.headers') {
          if (name !== CLIENT_ID_PLACEHOLDER) add(`${field}.${key}`, `holds {{${name}}}: an API header may hold {{${CLIENT_ID_PLACEHOLDER}}} and nothing else`);
          continue;
        }
        used.set(name, [...(used.get(name) ?? []), `${field}.${key}`]);
        if (!declared.has(name)) add(`${field}.${key}`, `uses {{${name}}}, which is not declared in variables (name, description, pattern, example)`);
      }
    }
  }

  const seen = new Set<string>();
  variables.forEach((variable) => {
    const field = `variables.${variable.name}`;
    if (seen.has(variable.name)) add(field, 'is declared twice');
    seen.add(variable.name);
    if (!used.has(variable.name)) add(field, 'is declared but no URL or parameter uses it');
    let regex: RegExp | undefined;
    try {
      regex = new RegExp(variable.pattern, 'u');
    } catch (error) {
      add(`${field}.pattern`, `is not a valid regular expression: ${(error as Error).message}`);
    }
    if (!anchored(variable.pattern)) add(`${field}.pattern`, 'must be anchored (^…$) so that it constrains the whole value');
    if (regex && !regex.test(variable.example)) add(`${field}.example`, `${JSON.stringify(variable.example)} does not match its pattern`);
    if (regex && variable.default !== undefined && !regex.test(variable.default))
      add(`${field}.default`, `${JSON.stringify(variable.default)} does not match its pattern`);
    const readFrom = variable.from === 'tokenResponse' || variable.from === 'callback';
    if (readFrom && !variable.key)
      add(`${field}.key`, `is required for a variable read from the ${variable.from === 'callback' ? 'callback' : 'token response'}`);
    if (!readFrom && variable.key) add(`${field}.key`, `only a tokenResponse or callback variable has a key (this one is from ${variable.from})`);
    if (readFrom) {
      const early = (used.get(variable.name) ?? []).filter((f) => TOO_EARLY[variable.from as 'tokenResponse' | 'callback'].includes(f.split('.')[0]));
      for (const f of early)
        add(field, `is read from the ${variable.from === 'callback' ? 'callback' : 'token response'}, so it cannot fill ${f}, which is used before that`);
    }
  });
  return problems;
}

/** The fields agree with each other and with the grants; nothing is both stated and listed as unconfirmed. */
export function consistencyProblems(template: ProviderTemplate): CatalogProblem[] {
  const problems: CatalogProblem[] = [];
  const add = (field: string, message: string) => problems.push({ provider: template.id, field, message });
  const grants = new Set(template.grantTypes);
  const code = grants.has('authorization_code');

  if (code && !template.authorizationUrl) add('authorizationUrl', 'is required for the authorization_code grant');
  if (!code && template.authorizationUrl) add('authorizationUrl', 'is set but authorization_code is not among the grantTypes');
  if (!code && template.pkce) add('pkce', 'only applies to the authorization_code grant');
  if (!code && template.authorizationParams) add('authorizationParams', 'only apply to the authorization_code grant');
  if (!grants.has('jwt_bearer') && template.assertion) add('assertion', 'is set but jwt_bearer is not among the grantTypes');
  if (!grants.has('client_credentials') && template.clientCredentialsGrantType)
    add('clientCredentialsGrantType', 'is set but client_credentials is not among the grantTypes');

  for (const key of Object.keys(template.authorizationParams ?? {})) {
    if (ENGINE_AUTHORIZATION_PARAMS.includes(key)) add(`authorizationParams.${key}`, 'is set by the engine itself (scopes go in defaultScopes)');
  }
  for (const [field, params] of [
    ['tokenParams', template.tokenParams],
    ['refresh.params', template.refresh?.params],
  ] as const) {
    for (const key of Object.keys(params ?? {})) if (ENGINE_TOKEN_PARAMS.includes(key)) add(`${field}.${key}`, 'is set by the engine itself');
  }

  const separator = template.scopeSeparator ?? ' ';
  for (const scope of template.defaultScopes ?? []) {
    if (scope.includes(separator)) add('defaultScopes', `${JSON.stringify(scope)} contains the scope separator ${JSON.stringify(separator)}`);
  }

  const refresh = template.refresh;
  if (refresh && !refresh.refreshTokens) {
    for (const key of Object.keys(refresh).filter((k) => k !== 'refreshTokens')) add(`refresh.${key}`, 'is set but refresh.refreshTokens is false');
    if (template.refreshUrl) add('refreshUrl', 'is set but refresh.refreshTokens is false');
  }
  for (const scope of refresh?.requires?.scopes ?? []) {
    if (!(template.defaultScopes ?? []).includes(scope))
      add('refresh.requires.scopes', `${JSON.stringify(scope)} is needed for a refresh token but is not in defaultScopes`);
  }
  for (const [key, value] of Object.entries(refresh?.requires?.authorizationParams ?? {})) {
    if (template.authorizationParams?.[key] !== value) {
      add(`refresh.requires.authorizationParams.${key}`, `${key}=${value} is needed for a refresh token but authorizationParams does not set it`);
    }
  }
  if (refresh?.requires && !code) add('refresh.requires', 'describes the authorization request, but authorization_code is not among the grantTypes');

  const check = template.api?.check;
  if (check?.body !== undefined && check.method !== 'POST') add('api.check.body', 'is only sent with a POST check');

  const facts = factPaths(template);
  (template.unconfirmed ?? []).forEach((entry, i) => {
    const named = entry.split(/[\s:(]/, 1)[0];
    if (facts.some((fact) => fact === named || fact.startsWith(`${named}.`)))
      add(`unconfirmed[${i}]`, `lists ${named} as unconfirmed, but the template sets it`);
  });
  return problems;
}
