import { BusError, PROVIDER_SETTINGS, type CreateProviderRequest, type GrantType, type ProviderSettingName } from '@tessera/contracts';
import { placeholders, staysWithin, type ProviderTemplate } from '@tessera/catalog';

/**
 * Every field path of a template the engine knows, and what it becomes: a provider setting, or nothing the engine
 * acts on (metadata an admin reads). A template with a field outside this list has a quirk the engine does not know;
 * the conformance harness fails it by name. Group paths (`refresh.requires`) cover their fields.
 */
const TEMPLATE_FIELDS: Record<string, ProviderSettingName | 'metadata'> = {
  $schema: 'metadata',
  id: 'metadata',
  version: 'metadata',
  name: 'metadata',
  description: 'description',
  categories: 'metadata',
  docsUrl: 'docsUrl',
  grantTypes: 'grantType',
  // Provider variables fill the URLs at creation; those read from the token answer become tokenResponseVariables.
  variables: 'tokenResponseVariables',
  authorizationUrl: 'authorizationUrl',
  tokenUrl: 'tokenUrl',
  refreshUrl: 'refreshUrl',
  revocationUrl: 'revocationUrl',
  defaultScopes: 'scopes',
  scopeSeparator: 'scopeSeparator',
  authorizationParams: 'authorizationParams',
  tokenParams: 'tokenParams',
  clientCredentialsGrantType: 'clientCredentialsGrantType',
  clientAuthMethod: 'clientAuthMethod',
  pkce: 'pkce',
  tokenRequestFormat: 'tokenRequestFormat',
  revocationRequestFormat: 'revocationRequestFormat',
  // Form-encoded answers are parsed whatever the template says (parseTokenBody).
  'tokenResponse.format': 'metadata',
  'tokenResponse.accessTokenPath': 'accessTokenPath',
  'tokenResponse.refreshTokenPath': 'refreshTokenPath',
  'tokenResponse.expiresInPath': 'expiresInPath',
  'tokenResponse.expiresInUnit': 'expiresInUnit',
  'tokenResponse.expiresAtPath': 'expiresAtPath',
  // The granted scope is stored as the provider wrote it.
  'tokenResponse.scopeSeparator': 'metadata',
  'tokenResponse.errorWith200': 'errorPath',
  'assertion.audience': 'assertionAudience',
  'assertion.scope': 'assertionScope',
  'assertion.algorithm': 'assertionAlgorithm',
  accessTokenLifetimeSeconds: 'defaultLifetimeSeconds',
  // Whether refresh tokens come, rotate and last is what the admin reads; the broker keeps whichever it is given.
  'refresh.refreshTokens': 'metadata',
  'refresh.rotating': 'metadata',
  'refresh.lifetimeSeconds': 'metadata',
  'refresh.idleLifetimeSeconds': 'metadata',
  'refresh.requires': 'metadata',
  'refresh.grantParam': 'refreshGrantParam',
  'refresh.grantValue': 'refreshGrantValue',
  'refresh.params': 'refreshParams',
  // A token's API base URL is the token's own (baseUrl): the template's is offered when a token is made.
  'api.baseUrl': 'metadata',
  'api.tokenHeader': 'apiTokenHeader',
  'api.headers': 'apiHeaders',
  'api.check': 'metadata',
  notes: 'metadata',
  unconfirmed: 'metadata',
  sources: 'metadata',
};

/** The leaf and group paths a template sets, for the check above (params and headers are records, not groups). */
function templateFieldPaths(template: object, prefix = ''): string[] {
  return Object.entries(template).flatMap(([key, value]) => {
    const path = `${prefix}${key}`;
    if (path in TEMPLATE_FIELDS) return [path];
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return templateFieldPaths(value, `${path}.`);
    return [path];
  });
}

/** Fields of a template that no setting and no metadata entry accounts for: quirks the engine does not know. */
export function unknownTemplateFields(template: ProviderTemplate): string[] {
  return templateFieldPaths(template).filter((path) => !(path in TEMPLATE_FIELDS));
}

/** Settings a provider made from a template takes from the template alone: its URLs and its grant. */
const FROM_TEMPLATE_ONLY = (Object.keys(PROVIDER_SETTINGS) as ProviderSettingName[]).filter((name) => PROVIDER_SETTINGS[name].kind === 'url');

type Fields = Record<string, string[]>;

/**
 * The values of the template's provider variables: each given or defaulted, matching its pattern. A token variable
 * stays a `{{placeholder}}` each token fills; tokenResponse and callback ones only appear where the broker does not
 * read them (the API base URL). Unknown names are refused so a typo is not silently dropped.
 */
export function providerVariables(template: ProviderTemplate, given: Record<string, string> = {}): Record<string, string> {
  const errors: Fields = {};
  const values: Record<string, string> = {};
  const declared = new Map((template.variables ?? []).map((v) => [v.name, v]));
  for (const name of Object.keys(given))
    if (declared.get(name)?.from !== 'provider')
      errors[`variables.${name}`] = [
        declared.has(name)
          ? `${name} is not entered for a provider (it comes from each ${declared.get(name)!.from})`
          : `${template.id} has no variable ${name}`,
      ];
  for (const variable of declared.values()) {
    if (variable.from !== 'provider') continue;
    const value = given[variable.name] ?? variable.default;
    if (value === undefined || value === '')
      errors[`variables.${variable.name}`] = [`${variable.name} is required: ${variable.description} (e.g. ${variable.example})`];
    else if (!new RegExp(variable.pattern, 'u').test(value))
      errors[`variables.${variable.name}`] = [`${variable.name} must match ${variable.pattern} (e.g. ${variable.example})`];
    else values[variable.name] = value;
  }
  if (Object.keys(errors).length) throw new BusError('validation_failed', `The variables do not fit template ${template.id}`, errors);
  return values;
}

/** Fills the provider variables in; every other `{{name}}` stays for the token to fill. */
function fill(text: string, values: Record<string, string>): string {
  return text.replace(/\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}/g, (whole, name: string) => values[name] ?? whole);
}

function fillRecord(record: Record<string, string> | undefined, values: Record<string, string>): Record<string, string> | undefined {
  return record && Object.fromEntries(Object.entries(record).map(([key, value]) => [key, fill(value, values)]));
}

/**
 * A filled URL must stay on the host its host variables' parents name (the pattern is the first fence: ADR 0041) and
 * keep its template's literal host otherwise. Variables are filled raw (they matched their patterns), so this is the
 * check that no value moved the request.
 */
function checkHosts(template: ProviderTemplate, field: string, url: string | undefined, filled: string | undefined): void {
  if (!url || !filled) return;
  const hostVariables = placeholders(/^[a-z]+:\/\/[^/?#]*/i.exec(url)?.[0] ?? url);
  const variables = new Map((template.variables ?? []).map((v) => [v.name, v]));
  for (const name of hostVariables) {
    const parent = variables.get(name)?.hostParent;
    if (!parent || !staysWithin(filled, parent))
      throw new BusError('validation_failed', `The variables would move ${field} off its host`, {
        [`variables.${name}`]: [`${name} fills the host of ${field} and must keep it under ${parent ?? 'its template host'}`],
      });
  }
}

/**
 * The template's API base URL with the provider's variables filled in, for a token made without one of its own; the
 * variables each token's answers bring (Salesforce's instance_url) stay placeholders the proxy fills. A host filled by
 * a provider variable is checked as the other URLs are.
 */
export function templateBaseUrl(template: ProviderTemplate, values: Record<string, string>): string | undefined {
  const base = template.api?.baseUrl;
  if (!base) return undefined;
  const filled = fill(base, values);
  const byProvider = placeholders(/^[a-z]+:\/\/[^/?#]*/i.exec(base)?.[0] ?? base).filter((name) => name in values);
  if (byProvider.length) checkHosts(template, 'api.baseUrl', base, filled);
  return filled;
}

/** PKCE as the broker does it: sent unless the provider says it does not take it (absent is not "unsupported"). */
const pkceOn = (template: ProviderTemplate) => template.pkce !== 'unsupported';

/** The template's own settings, filled with the provider variables: what a provider made from it (and its updates) gets. */
export function templateSettings(template: ProviderTemplate, values: Record<string, string>, grantType: GrantType): Partial<CreateProviderRequest> {
  const urls = {
    authorizationUrl: template.authorizationUrl && fill(template.authorizationUrl, values),
    tokenUrl: fill(template.tokenUrl, values),
    refreshUrl: template.refreshUrl && fill(template.refreshUrl, values),
    revocationUrl: template.revocationUrl && fill(template.revocationUrl, values),
  };
  for (const field of ['authorizationUrl', 'tokenUrl', 'refreshUrl', 'revocationUrl'] as const) checkHosts(template, field, template[field], urls[field]);
  const response = template.tokenResponse ?? {};
  const fromAnswers = (template.variables ?? []).filter((v) => v.from === 'tokenResponse' && v.key);
  const settings: Partial<CreateProviderRequest> = {
    grantType,
    description: template.description,
    docsUrl: template.docsUrl,
    ...urls,
    scopes: template.defaultScopes ?? [],
    scopeSeparator: template.scopeSeparator,
    clientAuthMethod: template.clientAuthMethod,
    pkce: grantType === 'authorization_code' ? pkceOn(template) : false,
    authorizationParams: grantType === 'authorization_code' ? fillRecord(template.authorizationParams, values) : undefined,
    tokenParams: fillRecord(template.tokenParams, values),
    clientCredentialsGrantType: grantType === 'client_credentials' ? template.clientCredentialsGrantType : undefined,
    ...(grantType === 'jwt_bearer' && template.assertion
      ? { assertionAudience: template.assertion.audience, assertionScope: template.assertion.scope, assertionAlgorithm: template.assertion.algorithm }
      : {}),
    tokenRequestFormat: template.tokenRequestFormat,
    revocationRequestFormat: template.revocationRequestFormat,
    accessTokenPath: response.accessTokenPath,
    refreshTokenPath: response.refreshTokenPath,
    expiresInPath: response.expiresInPath,
    expiresInUnit: response.expiresInUnit,
    expiresAtPath: response.expiresAtPath,
    errorPath: response.errorWith200?.path,
    errorPathOkValue: response.errorWith200 ? String(response.errorWith200.okValue) : undefined,
    tokenResponseVariables: fromAnswers.length ? Object.fromEntries(fromAnswers.map((v) => [v.name, v.key!])) : undefined,
    tokenResponseHosts: fromAnswers.some((v) => v.hostParent)
      ? Object.fromEntries(fromAnswers.filter((v) => v.hostParent).map((v) => [v.name, v.hostParent!]))
      : undefined,
    defaultLifetimeSeconds: template.accessTokenLifetimeSeconds,
    refreshGrantParam: template.refresh?.grantParam,
    refreshGrantValue: template.refresh?.grantValue,
    refreshParams: fillRecord(template.refresh?.params, values),
    apiTokenHeader: template.api?.tokenHeader?.name,
    apiTokenPrefix: template.api?.tokenHeader?.prefix || undefined,
    apiHeaders: template.api?.headers,
  };
  return Object.fromEntries(Object.entries(settings).filter(([, value]) => value !== undefined)) as Partial<CreateProviderRequest>;
}

/**
 * A create request made from a template: the template's settings filled with the request's variables, then the
 * request's own (client, name, scopes, non-URL settings). URLs and the grant's endpoints come from the template only,
 * so a provider made from "Zendesk" calls Zendesk; the grant may be chosen among the template's.
 */
export function providerFromTemplate(template: ProviderTemplate, request: CreateProviderRequest): CreateProviderRequest {
  const errors: Fields = {};
  for (const name of FROM_TEMPLATE_ONLY) if (request[name] !== undefined) errors[name] = [`${name} comes from template ${template.id}; leave it out`];
  const grantType = request.grantType ?? template.grantTypes[0];
  if (!(template.grantTypes as string[]).includes(grantType))
    errors.grantType = [`template ${template.id} serves ${template.grantTypes.join(', ')}, not ${grantType}`];
  if (Object.keys(errors).length) throw new BusError('validation_failed', 'The request has invalid fields', errors);
  const values = providerVariables(template, request.variables);
  const { template: _template, variables: _variables, ...own } = request;
  const ownSettings = Object.fromEntries(Object.entries(own).filter(([, value]) => value !== undefined));
  return { ...templateSettings(template, values, grantType), ...ownSettings, name: request.name ?? template.id, grantType } as CreateProviderRequest;
}
