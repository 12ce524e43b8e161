// Every provider setting and quirk, once, as data (issue 22, ADR 0040). No validator is imported here: the console
// bundles this file (browser.ts). The contracts classes (providers.ts), the broker's entity, view and copy rules, the
// OpenAPI schema and the console's form are derived from PROVIDER_SETTINGS; adding a quirk is an entry here, its
// behaviour in the broker's oauth/ and its spec.
import {
  ASSERTION_ALGORITHMS,
  ASSERTION_SCOPE_PLACES,
  ASSERTION_SIGNERS,
  CLIENT_AUTH_METHODS,
  EXPIRES_IN_UNITS,
  GRANT_TYPES,
  REQUEST_FORMATS,
  REVOCATION_REQUEST_FORMATS,
  type ClientAuthMethod,
  type GrantType,
} from './vocabulary.js';

/** How a setting is entered (the console's input) and so which validation applies. */
export type SettingKind = 'name' | 'text' | 'path' | 'url' | 'secret' | 'number' | 'record' | 'list' | 'select' | 'checkbox' | 'textarea';
/** The console form's sections, in order. */
export const SETTING_SECTIONS = [
  { key: 'general', title: 'Provider' },
  { key: 'endpoints', title: 'Endpoints' },
  { key: 'authorization', title: 'Authorization' },
  { key: 'token', title: 'Token request and response' },
  { key: 'refresh', title: 'Refresh' },
  { key: 'api', title: 'API calls' },
] as const;
export type SettingSection = (typeof SETTING_SECTIONS)[number]['key'];
/** The secrets a URL setting may carry (ADR 0015): the client secret, a token's access and refresh tokens, a password. */
export type StoredSecret = 'clientSecret' | 'accessToken' | 'refreshToken' | 'password';

export interface ProviderSetting {
  /** What it means (the OpenAPI description). */
  doc: string;
  /** The console's label and hint. */
  label: string;
  hint?: string;
  kind: SettingKind;
  section: SettingSection;
  /** The value a provider has when it is not given; null (and not required): the column is nullable. */
  default: string | number | boolean | null | readonly string[] | Record<string, string>;
  /** Required when a provider is created. */
  required?: boolean;
  /** The grant types that use it; absent: all of them. */
  grants?: readonly GrantType[];
  /** Client authentication methods that use it whatever the grant (a signing key: private_key_jwt). */
  clientAuth?: readonly ClientAuthMethod[];
  /** select: the values allowed. */
  options?: readonly string[];
  /** text/name/secret: the longest value; number: the bounds. */
  maxLength?: number;
  min?: number;
  max?: number;
  /** Not in the /admin view (write-only), and not a column of its own (the secret is sealed). */
  writeOnly?: boolean;
  /** URL settings: which stored secrets requests to it carry; [] for a URL nothing secret is sent to. */
  secrets?: readonly StoredSecret[];
}

const CODE = ['authorization_code'] as const satisfies readonly GrantType[];
const CLIENT = ['client_credentials'] as const satisfies readonly GrantType[];
const JWT_BEARER = ['jwt_bearer'] as const satisfies readonly GrantType[];
const SIGNS = ['private_key_jwt'] as const satisfies readonly ClientAuthMethod[];
/** No grant by itself: the setting is shown for its client authentication method alone. */
const NO_GRANT = [] as const satisfies readonly GrantType[];

/**
 * The settings, in the form's order. `satisfies` keeps each key's literal so the types below follow the data.
 * Defaults are what a provider stored without the setting behaves as.
 */
export const PROVIDER_SETTINGS = {
  name: {
    doc: 'Its name; outbound tokens refer to it',
    label: 'Name',
    kind: 'name',
    section: 'general',
    default: null,
    required: true,
    hint: 'Lowercase letters, digits, dots, underscores or hyphens.',
  },
  description: { doc: 'What it is, for people', label: 'Description', kind: 'textarea', section: 'general', default: null, maxLength: 2000 },
  docsUrl: { doc: "Where the provider's API documentation is", label: 'Documentation URL', kind: 'url', section: 'general', default: null, secrets: [] },
  grantType: {
    doc: 'How the broker gets tokens from it',
    label: 'Grant type',
    kind: 'select',
    section: 'general',
    default: null,
    required: true,
    options: GRANT_TYPES,
  },
  clientId: { doc: 'The client id the provider issued', label: 'Client ID', kind: 'text', section: 'general', default: null, required: true, maxLength: 500 },
  clientSecret: {
    doc: 'The client secret the provider issued (write-only)',
    label: 'Client secret',
    kind: 'secret',
    section: 'general',
    default: null,
    maxLength: 500,
    writeOnly: true,
    hint: 'Write-only: stored encrypted, never shown again.',
  },
  clientAuthMethod: {
    doc: 'How the client authenticates at the token endpoint',
    label: 'Client authentication',
    kind: 'select',
    section: 'general',
    default: 'client_secret_basic',
    options: CLIENT_AUTH_METHODS,
  },
  assertionSigner: {
    doc:
      "private_key_jwt: whose key signs the client assertions: the provider's own, held by the broker and published at " +
      "/providers/{id}/jwks.json, or this platform's client key, held by integrations-registry and published in this " +
      "platform's metadata (a P2PI client app). jwt_bearer grants are always signed with the provider's own key",
    label: 'Assertions signed by',
    kind: 'select',
    section: 'general',
    default: 'provider',
    options: ASSERTION_SIGNERS,
    hint: "platform: this platform's client key (P2PI); the provider then has no key of its own and no JWKS URL.",
    grants: NO_GRANT,
    clientAuth: SIGNS,
  },
  assertionKey: {
    doc:
      'The private key (PEM PKCS #8, or a JWK) the broker signs assertions with: jwt_bearer needs one; with private_key_jwt, ' +
      'blank means the broker generates one and publishes its public key (write-only)',
    label: 'Signing key',
    kind: 'textarea',
    section: 'general',
    default: null,
    maxLength: 10_000,
    writeOnly: true,
    hint: 'Write-only: stored encrypted, never shown again. Blank with private_key_jwt: the broker makes a key pair.',
    grants: JWT_BEARER,
    clientAuth: SIGNS,
  },
  assertionAlgorithm: {
    doc: 'The algorithm assertions are signed with; blank: ES256 for a key the broker generates, RS256 for a given RSA key',
    label: 'Signing algorithm',
    kind: 'select',
    section: 'general',
    default: null,
    options: ASSERTION_ALGORITHMS,
    grants: JWT_BEARER,
    clientAuth: SIGNS,
  },
  assertionKeyId: {
    doc: "The kid of a given signing key, as the provider knows it (a service account's private_key_id); blank: its RFC 7638 thumbprint",
    label: 'Signing key ID',
    kind: 'text',
    section: 'general',
    default: null,
    maxLength: 200,
    grants: JWT_BEARER,
    clientAuth: SIGNS,
  },
  assertionAudience: {
    doc: 'The aud of the assertions the broker signs (private_key_jwt, jwt_bearer); blank: the token endpoint URL',
    label: 'Assertion audience',
    kind: 'text',
    section: 'token',
    default: null,
    maxLength: 2048,
    hint: 'Blank: the token URL. Some providers want their issuer (Salesforce: https://login.salesforce.com).',
    grants: JWT_BEARER,
    clientAuth: SIGNS,
  },
  assertionSubject: {
    doc: 'jwt_bearer: the sub of the assertion (the user the token acts for); blank: none (a Google service account acting as itself)',
    label: 'Assertion subject',
    kind: 'text',
    section: 'token',
    default: null,
    maxLength: 500,
    grants: JWT_BEARER,
    hint: 'Salesforce: the username; DocuSign: the user id.',
  },
  assertionScope: {
    doc: 'jwt_bearer: where the scopes go: the form parameter scope (RFC 7523) or a scope claim in the assertion (Google, DocuSign)',
    label: 'Scopes in',
    kind: 'select',
    section: 'token',
    default: 'param',
    options: ASSERTION_SCOPE_PLACES,
    grants: JWT_BEARER,
  },
  authorizationUrl: {
    doc: 'authorization_code: where the browser is sent to consent; may hold {{variable}} placeholders',
    label: 'Authorization URL',
    kind: 'url',
    section: 'endpoints',
    default: null,
    grants: CODE,
    secrets: [],
    hint: 'May hold {{variable}} placeholders filled from the token’s variables.',
  },
  tokenUrl: {
    doc: 'Its token endpoint; may hold {{variable}} placeholders',
    label: 'Token URL',
    kind: 'url',
    section: 'endpoints',
    default: null,
    required: true,
    secrets: ['clientSecret', 'password'],
    hint: 'May hold {{variable}} placeholders, e.g. https://oauth.myapp.com/token/{{account}}',
  },
  refreshUrl: {
    doc: 'Where refresh requests go, when not the token URL',
    label: 'Re-authenticate (refresh) URL',
    kind: 'url',
    section: 'endpoints',
    default: null,
    secrets: ['clientSecret', 'refreshToken'],
    hint: 'Blank: the token URL.',
  },
  revocationUrl: {
    doc: 'RFC 7009 revocation endpoint, called when a token is revoked here',
    label: 'Revocation URL',
    kind: 'url',
    section: 'endpoints',
    default: null,
    secrets: ['clientSecret', 'accessToken', 'refreshToken'],
  },
  scopes: { doc: 'Scopes asked for by default', label: 'Default scopes', kind: 'list', section: 'authorization', default: [], hint: 'Space separated.' },
  scopeSeparator: {
    doc: 'What joins the scopes in requests (default a space)',
    label: 'Scope separator',
    kind: 'text',
    section: 'authorization',
    default: ' ',
    maxLength: 5,
    hint: 'Sent literally; default a space. Some APIs want , or +.',
  },
  pkce: {
    doc: 'authorization_code: send a PKCE challenge (S256)',
    label: 'PKCE (S256)',
    kind: 'checkbox',
    section: 'authorization',
    default: true,
    grants: CODE,
  },
  stateLength: {
    doc: 'Length of the random state parameter',
    label: 'State length',
    kind: 'number',
    section: 'authorization',
    default: 32,
    min: 8,
    max: 128,
    grants: CODE,
    hint: '8 to 128 random characters; default 32.',
  },
  prompt: {
    doc: 'The `prompt` parameter of the authorization request (consent, login …)',
    label: 'Prompt',
    kind: 'text',
    section: 'authorization',
    default: null,
    maxLength: 200,
    grants: CODE,
    hint: 'e.g. consent, select_account',
  },
  authorizationParams: {
    doc: 'Extra parameters of the authorization request',
    label: 'Extra authorization parameters',
    kind: 'record',
    section: 'authorization',
    default: {},
    grants: CODE,
    hint: 'One key=value per line.',
  },
  clientCredentialsGrantType: {
    doc: 'client_credentials: the grant_type value the provider wants instead of client_credentials (Zoom: account_credentials)',
    label: 'Client-credentials grant_type',
    kind: 'text',
    section: 'token',
    default: null,
    maxLength: 100,
    grants: CLIENT,
    hint: 'Blank: client_credentials.',
  },
  tokenRequestFormat: {
    doc: 'How token and refresh requests carry their parameters: form (RFC 6749), a JSON body, or the query string',
    label: 'Token request format',
    kind: 'select',
    section: 'token',
    default: 'form',
    options: REQUEST_FORMATS,
  },
  tokenParams: {
    doc: 'Extra parameters of token requests',
    label: 'Extra token parameters',
    kind: 'record',
    section: 'token',
    default: {},
    hint: 'One key=value per line.',
  },
  accessTokenPath: {
    doc: 'Where the access token is in the token answer (a dotted path)',
    label: 'Access token path',
    kind: 'path',
    section: 'token',
    default: 'access_token',
    hint: 'Dotted for nested responses; default access_token.',
  },
  refreshTokenPath: {
    doc: 'Where the refresh token is in the token answer (a dotted path)',
    label: 'Refresh token path',
    kind: 'path',
    section: 'token',
    default: 'refresh_token',
    hint: 'Default refresh_token.',
  },
  expiresInPath: {
    doc: 'Where the lifetime is in the token answer (a dotted path)',
    label: 'Expires-in path',
    kind: 'path',
    section: 'token',
    default: 'expires_in',
    hint: 'Default expires_in.',
  },
  expiresInUnit: {
    doc: 'The unit of the lifetime in token answers',
    label: 'Expires-in unit',
    kind: 'select',
    section: 'token',
    default: 'seconds',
    options: EXPIRES_IN_UNITS,
  },
  expiresAtPath: {
    doc: 'Where an absolute expiry (epoch seconds or an ISO 8601 date) is in the token answer, for providers that send one instead of a lifetime',
    label: 'Expires-at path',
    kind: 'path',
    section: 'token',
    default: null,
    hint: 'Only for answers with an absolute expiry; expires_in wins when both are there.',
  },
  errorPath: {
    doc: 'Where a provider that answers errors with HTTP 200 says whether the call worked (Slack: ok)',
    label: 'Success flag path',
    kind: 'path',
    section: 'token',
    default: null,
    hint: 'Blank: HTTP status alone says it (RFC 6749).',
  },
  errorPathOkValue: {
    doc: 'The value at that path that means success (as text: true, "ok" …)',
    label: 'Success flag value',
    kind: 'text',
    section: 'token',
    default: null,
    maxLength: 100,
  },
  tokenResponseVariables: {
    doc: "Values a token answer carries that the token's URLs use (Salesforce's instance_url): variable name → its dotted path in the answer. {{name}} in a token's baseUrl, refresh and revocation URLs is filled from the latest answer that had it",
    label: 'Variables from the token answer',
    kind: 'record',
    section: 'token',
    default: {},
    hint: 'One name=path per line, e.g. instanceUrl=instance_url; use them as {{instanceUrl}} in the token’s base URL.',
  },
  tokenResponseHosts: {
    doc: 'For a token-answer variable that fills a host: the domain its value must stay on (instanceUrl=salesforce.com). A value elsewhere is refused, and a host filled by one without a domain here is refused too',
    label: 'Their host domains',
    kind: 'record',
    section: 'token',
    default: {},
    hint: 'One name=domain per line, e.g. instanceUrl=salesforce.com.',
  },
  defaultLifetimeSeconds: {
    doc: 'Lifetime assumed when the provider sends no expires_in; absent: valid until a 401',
    label: 'Default lifetime (seconds)',
    kind: 'number',
    section: 'token',
    default: null,
    min: 1,
    max: 31_536_000,
    hint: 'When the provider sends no expires_in; blank: valid until a 401.',
  },
  timeoutSeconds: {
    doc: 'How long a request to the provider may take, in seconds',
    label: 'Timeout (seconds)',
    kind: 'number',
    section: 'token',
    default: 30,
    min: 1,
    max: 300,
    hint: 'Default 30.',
  },
  refreshGrantParam: {
    doc: 'The parameter naming the grant in refresh requests (default grant_type)',
    label: 'Refresh grant parameter',
    kind: 'text',
    section: 'refresh',
    default: 'grant_type',
    maxLength: 100,
    hint: 'Default grant_type; some APIs use refresh_grant_type.',
  },
  refreshGrantValue: {
    doc: 'Its value in refresh requests (default refresh_token)',
    label: 'Refresh grant value',
    kind: 'text',
    section: 'refresh',
    default: 'refresh_token',
    maxLength: 100,
    hint: 'Default refresh_token.',
  },
  refreshParams: {
    doc: 'Extra parameters of refresh requests',
    label: 'Refresh parameters',
    kind: 'record',
    section: 'refresh',
    default: {},
    hint: 'When a refresh needs other parameters than the first exchange. key=value per line.',
  },
  refreshBufferSeconds: {
    doc: 'Refresh this many seconds before a token expires',
    label: 'Refresh before expiry (seconds)',
    kind: 'number',
    section: 'refresh',
    default: 60,
    min: 0,
    max: 86_400,
  },
  revocationRequestFormat: {
    doc: 'How revocation requests carry their parameters: form (RFC 7009) or a JSON body',
    label: 'Revocation request format',
    kind: 'select',
    section: 'refresh',
    default: 'form',
    options: REVOCATION_REQUEST_FORMATS,
  },
  apiTokenHeader: {
    doc: 'The header the API takes the access token in, when not Authorization (Shopify: X-Shopify-Access-Token)',
    label: 'Token header',
    kind: 'text',
    section: 'api',
    default: null,
    maxLength: 100,
    hint: 'Blank: Authorization: <token type> <token>.',
  },
  apiTokenPrefix: {
    doc: 'What goes before the token in that header (blank: the token alone)',
    label: 'Token header prefix',
    kind: 'text',
    section: 'api',
    default: null,
    maxLength: 50,
  },
  apiHeaders: {
    doc: 'Fixed headers every proxied API call carries (Notion-Version …); {{client_id}} is the client id',
    label: 'API headers',
    kind: 'record',
    section: 'api',
    default: {},
    hint: 'One name=value per line.',
  },
} as const satisfies Record<string, ProviderSetting>;

export type ProviderSettingName = keyof typeof PROVIDER_SETTINGS;

type KindValue = {
  name: string;
  text: string;
  path: string;
  url: string;
  secret: string;
  textarea: string;
  number: number;
  record: Record<string, string>;
  list: string[];
  checkbox: boolean;
  select: string;
};
type Options<S> = S extends { options: readonly (infer O)[] } ? O : never;
type ValueOf<S> = S extends { kind: 'select' } ? Options<S> : S extends { kind: infer K extends keyof KindValue } ? KindValue[K] : never;
/** A stored setting: nullable when it is optional and its default is null. */
type Stored<S> = S extends { required: true } ? ValueOf<S> : S extends { default: null } ? ValueOf<S> | null : ValueOf<S>;

/** What a request may give each setting (absent: unchanged, or the default). */
export type ProviderSettingInput = { -readonly [K in ProviderSettingName]: ValueOf<(typeof PROVIDER_SETTINGS)[K]> };

/** Every setting but the write-only ones, as a provider holds them. */
export type ProviderSettingValues = {
  -readonly [K in ProviderSettingName as (typeof PROVIDER_SETTINGS)[K] extends { writeOnly: true } ? never : K]: Stored<(typeof PROVIDER_SETTINGS)[K]>;
};

/** The names, in the form's order. */
export const PROVIDER_SETTING_NAMES = Object.keys(PROVIDER_SETTINGS) as ProviderSettingName[];
/** The settings stored as they are given (the secret is sealed, so it is not one of them). */
export const STORED_SETTING_NAMES = PROVIDER_SETTING_NAMES.filter(
  (name) => !(PROVIDER_SETTINGS[name] as ProviderSetting).writeOnly,
) as (keyof ProviderSettingValues)[];

/** Whether a stored provider may hold null for it. */
export function isNullableSetting(name: ProviderSettingName): boolean {
  const setting = providerSetting(name);
  return setting.default === null && !setting.required;
}

/** A setting's entry, typed as the general shape. */
export function providerSetting(name: ProviderSettingName): ProviderSetting {
  return PROVIDER_SETTINGS[name];
}

/** For each stored secret, the URL settings it may be sent to (ADR 0015), read from the settings' `secrets`. */
export function secretUrlSettings(secret: StoredSecret): ProviderSettingName[] {
  return PROVIDER_SETTING_NAMES.filter((name) => (providerSetting(name).secrets ?? []).includes(secret));
}
