/**
 * One provider of the catalog, as its JSON file holds it. The JSON Schema in ../schema/provider-template.schema.json is
 * the normative description (and what every file is checked against); these types mirror it for the code that reads
 * templates. docs/decisions/0041-provider-catalog-format.md says why the format is what it is.
 */

export const TEMPLATE_GRANT_TYPES = ['authorization_code', 'client_credentials', 'password', 'jwt_bearer'] as const;
export type TemplateGrantType = (typeof TEMPLATE_GRANT_TYPES)[number];

export type PkceSupport = 'required' | 'supported' | 'unsupported';
export type ClientAuthentication = 'client_secret_basic' | 'client_secret_post';

/**
 * Where a variable's value comes from. provider: typed once by the admin who makes a provider from the template;
 * token: typed for each token (one app, many accounts); tokenResponse / callback: read from the token response or the
 * authorization callback's query at `key`.
 */
export type VariableSource = 'provider' | 'token' | 'tokenResponse' | 'callback';

export interface TemplateVariable {
  name: string;
  label?: string;
  description: string;
  /** Anchored JavaScript regular expression every value must match. */
  pattern: string;
  example: string;
  default?: string;
  from: VariableSource;
  key?: string;
  /** Set on a variable that fills a host: every filled host must be this domain or under it. */
  hostParent?: string;
}

export interface TemplateTokenResponse {
  format?: 'json' | 'form';
  accessTokenPath?: string;
  refreshTokenPath?: string;
  expiresInPath?: string;
  expiresInUnit?: 'seconds' | 'milliseconds';
  expiresAtPath?: string;
  scopeSeparator?: string;
  errorWith200?: { path: string; okValue: boolean | string };
}

/** jwt_bearer (RFC 7523 §2.1): how the provider wants the assertion the broker signs. */
export interface TemplateAssertion {
  audience?: string;
  scope?: 'param' | 'claim';
  algorithm?: 'ES256' | 'RS256' | 'PS256';
}

export interface TemplateRefresh {
  refreshTokens: boolean;
  rotating?: boolean;
  lifetimeSeconds?: number;
  idleLifetimeSeconds?: number;
  requires?: { scopes?: string[]; authorizationParams?: Record<string, string> };
  grantParam?: string;
  grantValue?: string;
  params?: Record<string, string>;
}

export interface TemplateApiCheck {
  method: 'GET' | 'POST';
  path: string;
  body?: string;
  expectedStatus: number;
}

export interface TemplateApi {
  baseUrl: string;
  tokenHeader?: { name: string; prefix: string };
  headers?: Record<string, string>;
  check?: TemplateApiCheck;
}

export interface TemplateSource {
  url: string;
  title?: string;
  via?: string;
  /** Field paths this page supports (tokenUrl, refresh.rotating, variables.tenant); a group covers its fields. */
  supports: string[];
}

/** The categories a template may name (the schema's `$defs.category`; the catalog's spec holds the two equal). */
export const TEMPLATE_CATEGORIES: readonly string[] = [
  'accounting',
  'analytics',
  'communication',
  'construction',
  'crm',
  'design',
  'developer-tools',
  'e-commerce',
  'erp',
  'file-storage',
  'fitness',
  'forms',
  'hr',
  'identity',
  'itsm',
  'marketing',
  'media',
  'payments',
  'productivity',
  'project-management',
  'sales',
  'scheduling',
  'signature',
  'social',
  'support',
  'video',
];

export interface ProviderTemplate {
  $schema?: string;
  id: string;
  version: number;
  name: string;
  description?: string;
  categories: string[];
  docsUrl: string;
  grantTypes: TemplateGrantType[];
  variables?: TemplateVariable[];
  authorizationUrl?: string;
  tokenUrl: string;
  refreshUrl?: string;
  revocationUrl?: string;
  defaultScopes?: string[];
  scopeSeparator?: string;
  authorizationParams?: Record<string, string>;
  tokenParams?: Record<string, string>;
  clientCredentialsGrantType?: string;
  clientAuthMethod?: ClientAuthentication;
  pkce?: PkceSupport;
  tokenRequestFormat?: 'form' | 'json' | 'query';
  revocationRequestFormat?: 'form' | 'json';
  tokenResponse?: TemplateTokenResponse;
  assertion?: TemplateAssertion;
  accessTokenLifetimeSeconds?: number;
  refresh?: TemplateRefresh;
  api?: TemplateApi;
  notes?: string;
  unconfirmed?: string[];
  sources: TemplateSource[];
}

/** What a catalog list shows of a template. */
export interface TemplateSummary {
  id: string;
  version: number;
  name: string;
  description: string | null;
  categories: string[];
  docsUrl: string;
  grantTypes: TemplateGrantType[];
}

/** The URL fields of a template, where a {{variable}} may appear and a source must back the value. */
export const URL_FIELDS = ['authorizationUrl', 'tokenUrl', 'refreshUrl', 'revocationUrl', 'api.baseUrl'] as const;
export type UrlField = (typeof URL_FIELDS)[number];

export function urlField(template: ProviderTemplate, field: UrlField): string | undefined {
  return field === 'api.baseUrl' ? template.api?.baseUrl : template[field];
}
