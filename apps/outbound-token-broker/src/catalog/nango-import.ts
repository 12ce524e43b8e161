import {
  checkTemplate,
  describeProblem,
  factPaths,
  TEMPLATE_CATEGORIES,
  TEMPLATE_GRANT_TYPES,
  type ProviderTemplate,
  type TemplateVariable,
} from '@tessera/catalog';
import { BusError, TEMPLATE_ID_PATTERN } from '@tessera/contracts';
import { parse as parseYaml } from 'yaml';

/** One entry of the file, as far as the import reads it (Nango's providers.yaml format). */
interface NangoEntry {
  display_name?: string;
  categories?: string[];
  auth_mode?: string;
  alias?: string;
  authorization_url?: string;
  token_url?: string;
  refresh_url?: string;
  authorization_params?: Record<string, unknown>;
  token_params?: Record<string, unknown>;
  refresh_params?: Record<string, unknown>;
  scope_separator?: string;
  default_scopes?: string[] | string;
  disable_pkce?: boolean;
  token_request_auth_method?: string;
  body_format?: string;
  docs?: string;
  proxy?: { base_url?: string; headers?: Record<string, unknown> };
  connection_config?: Record<string, { title?: string; description?: string; pattern?: string; example?: string; default_value?: string }>;
}

export interface ImportResult {
  templates: ProviderTemplate[];
  skipped: { key: string; reason: string }[];
}

const CATEGORIES = new Set(TEMPLATE_CATEGORIES);
/** One DNS label: what a variable filling part of a host may be when the file gives no pattern. */
const LABEL = '^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$';
/** A path segment or parameter value when the file gives no pattern. */
const SEGMENT = '^[A-Za-z0-9._~-]{1,200}$';
/** The engine's own parameters: dropped from the file's (grant_type read first). */
const ENGINE_PARAMS = new Set(['response_type', 'client_id', 'client_secret', 'redirect_uri', 'state', 'scope', 'code', 'code_verifier', 'refresh_token']);
const INTERPOLATION = /\$\{([^}]*)\}/g;

class Skip extends Error {}

/** `${connectionConfig.x}` → `{{x}}`; any other interpolation (`${apiKey}`, `${credentials.x}`) is not a provider variable. */
function variables(text: string): string {
  return text.replace(INTERPOLATION, (_, expression: string) => {
    const match = /^\s*connectionConfig\.([A-Za-z][A-Za-z0-9_]{0,62})\s*$/.exec(expression);
    if (!match) throw new Skip(`uses \${${expression}}, which is not a connectionConfig variable`);
    return `{{${match[1]}}}`;
  });
}

function params(record: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(record ?? {})) {
    if (ENGINE_PARAMS.has(key) || key === 'grant_type') continue;
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') throw new Skip(`parameter ${key} is not a plain value`);
    out[key] = variables(String(value));
  }
  return out;
}

function anchored(pattern: string): string {
  return `${pattern.startsWith('^') ? '' : '^'}${pattern}${pattern.endsWith('$') ? '' : '$'}`;
}

/** The variable a `{{name}}` in these URLs needs: its pattern and example from connection_config, its host parent from the URL. */
function variable(name: string, entry: NangoEntry, urls: string[]): TemplateVariable {
  const config = entry.connection_config?.[name] ?? {};
  const hostParents = new Set<string>();
  for (const url of urls) {
    const host = /^https:\/\/([^/?#]*)/.exec(url)?.[1] ?? '';
    if (!host.includes(`{{${name}}}`)) continue;
    const parent = /^\{\{[A-Za-z0-9_]+\}\}\.((?:[a-z0-9-]+\.)+[a-z]{2,63})$/.exec(host)?.[1];
    if (!parent) throw new Skip(`${name} fills the host ${host} other than as its first label, so no parent domain keeps requests on the provider`);
    hostParents.add(parent);
  }
  if (hostParents.size > 1) throw new Skip(`${name} fills hosts under different domains (${[...hostParents].join(', ')})`);
  const inHost = hostParents.size === 1;
  const pattern = config.pattern ? anchored(config.pattern) : inHost ? LABEL : SEGMENT;
  const example = config.example ?? config.default_value ?? (inHost ? 'example' : 'example');
  return {
    name,
    ...(config.title ? { label: config.title.slice(0, 100) } : {}),
    description: (config.description || config.title || `The ${name} of the account`).slice(0, 500),
    pattern,
    example,
    ...(config.default_value ? { default: config.default_value } : {}),
    from: 'provider',
    ...(inHost ? { hostParent: [...hostParents][0] } : {}),
  };
}

/** The template an OAUTH2 or OAUTH2_CC entry describes, or Skip with why not. */
function templateOf(key: string, entry: NangoEntry): ProviderTemplate {
  if (!entry || typeof entry !== 'object') throw new Skip('is not a provider entry');
  if (entry.alias && !entry.auth_mode) throw new Skip(`is an alias of ${entry.alias}: import that entry`);
  if (entry.auth_mode !== 'OAUTH2' && entry.auth_mode !== 'OAUTH2_CC')
    throw new Skip(`auth_mode ${entry.auth_mode ?? '(none)'} is not OAuth 2 (only OAUTH2 and OAUTH2_CC are imported)`);
  const code = entry.auth_mode === 'OAUTH2';
  const id = key
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64);
  if (!TEMPLATE_ID_PATTERN.test(id)) throw new Skip('its key cannot be made a template id');
  if (!entry.token_url) throw new Skip('has no token_url');
  if (code && !entry.authorization_url) throw new Skip('has no authorization_url');
  const urls = {
    authorizationUrl: code && entry.authorization_url ? variables(entry.authorization_url) : undefined,
    tokenUrl: variables(entry.token_url),
    refreshUrl: entry.refresh_url ? variables(entry.refresh_url) : undefined,
    baseUrl: entry.proxy?.base_url ? variables(entry.proxy.base_url) : undefined,
  };
  for (const [field, url] of Object.entries(urls)) if (url && !url.startsWith('https://')) throw new Skip(`${field} ${url} is not an https URL`);
  const tokenGrant = entry.token_params?.grant_type;
  const refreshGrant = entry.refresh_params?.grant_type;
  const separator = entry.scope_separator ?? ' ';
  const scopes = (typeof entry.default_scopes === 'string' ? entry.default_scopes.split(separator) : (entry.default_scopes ?? [])).filter(Boolean);
  const refreshParams = params(entry.refresh_params);
  const refreshes = code && (entry.refresh_url !== undefined || entry.refresh_params !== undefined);
  // Fixed headers only: a header filled from credentials is the connection's secret, which a template never holds.
  const headers = Object.fromEntries(Object.entries(entry.proxy?.headers ?? {}).filter(([, v]) => typeof v === 'string' && !v.includes('${'))) as Record<
    string,
    string
  >;
  const template: ProviderTemplate = {
    id,
    version: 1,
    name: (entry.display_name ?? key).slice(0, 100),
    categories: [...new Set((entry.categories ?? []).filter((c) => CATEGORIES.has(c)))].slice(0, 4),
    docsUrl: entry.docs?.startsWith('https://') ? entry.docs : `https://${new URL(urls.tokenUrl.replace(/\{\{|\}\}/g, '')).host}/`,
    grantTypes: [code ? TEMPLATE_GRANT_TYPES[0] : 'client_credentials'],
    ...(urls.authorizationUrl ? { authorizationUrl: urls.authorizationUrl } : {}),
    tokenUrl: urls.tokenUrl,
    ...(urls.refreshUrl ? { refreshUrl: urls.refreshUrl } : {}),
    ...(scopes.length ? { defaultScopes: scopes } : {}),
    ...(entry.scope_separator !== undefined ? { scopeSeparator: separator } : {}),
    ...(code && Object.keys(params(entry.authorization_params)).length ? { authorizationParams: params(entry.authorization_params) } : {}),
    ...(Object.keys(params(entry.token_params)).length ? { tokenParams: params(entry.token_params) } : {}),
    ...(!code && typeof tokenGrant === 'string' && tokenGrant !== 'client_credentials' ? { clientCredentialsGrantType: tokenGrant } : {}),
    // Nango sends the client's credentials in the body unless told `basic`.
    clientAuthMethod: entry.token_request_auth_method === 'basic' ? 'client_secret_basic' : 'client_secret_post',
    ...(code && entry.disable_pkce ? { pkce: 'unsupported' as const } : {}),
    ...(entry.body_format === 'json' ? { tokenRequestFormat: 'json' as const } : {}),
    ...(refreshes
      ? {
          refresh: {
            refreshTokens: true,
            ...(typeof refreshGrant === 'string' && refreshGrant !== 'refresh_token' ? { grantValue: refreshGrant } : {}),
            ...(Object.keys(refreshParams).length ? { params: refreshParams } : {}),
          },
        }
      : {}),
    ...(urls.baseUrl ? { api: { baseUrl: urls.baseUrl, ...(Object.keys(headers).length ? { headers } : {}) } } : {}),
    notes: `Imported from the providers.yaml entry "${key}" (${entry.auth_mode}); its facts are the file's, not checked against the provider's documentation.`,
    sources: [],
  };
  if (!template.categories.length) template.categories = ['developer-tools'];
  const used = [...new Set(Object.values(urls).flatMap((url) => [...(url ?? '').matchAll(/\{\{([A-Za-z0-9_]+)\}\}/g)].map((m) => m[1])))];
  const inParams = [template.authorizationParams, template.tokenParams, template.refresh?.params].flatMap((record) =>
    Object.values(record ?? {}).flatMap((value) => [...value.matchAll(/\{\{([A-Za-z0-9_]+)\}\}/g)].map((m) => m[1])),
  );
  const names = [...new Set([...used, ...inParams])];
  if (names.length)
    template.variables = names.map((name) =>
      variable(
        name,
        entry,
        Object.values(urls).filter((url): url is string => url !== undefined),
      ),
    );
  // The file is this template's source: every fact is the file's, said in notes; its page is the docs link.
  template.sources = [
    { url: template.docsUrl, title: `The imported providers.yaml entry "${key}"`, supports: [...new Set(factPaths(template).map((p) => p.split('.')[0]))] },
  ];
  return template;
}

/**
 * A Nango-format providers.yaml → templates: OAUTH2 entries as authorization_code, OAUTH2_CC as client_credentials,
 * `${connectionConfig.x}` as provider variables (a connection's settings are the provider's here), every other entry
 * skipped with its reason. Each template then passes the catalog's own checks (hosts pinned, variables declared) or is
 * skipped with their messages.
 */
export function importNangoProviders(text: string): ImportResult {
  let document: unknown;
  try {
    document = parseYaml(text, { maxAliasCount: 100 });
  } catch (error) {
    throw new BusError('validation_failed', 'The body is not YAML', { yaml: [(error as Error).message.split('\n')[0]] });
  }
  if (!document || typeof document !== 'object' || Array.isArray(document))
    throw new BusError('validation_failed', 'The body is not a providers.yaml', { yaml: ['expected a mapping of provider keys to entries'] });
  const result: ImportResult = { templates: [], skipped: [] };
  for (const [key, entry] of Object.entries(document as Record<string, NangoEntry>)) {
    try {
      const template = templateOf(key, entry);
      const problems = checkTemplate(template, template.id);
      if (problems.length) throw new Skip(problems.map(describeProblem).join('; '));
      result.templates.push(template);
    } catch (error) {
      if (!(error instanceof Skip) && !(error instanceof TypeError)) throw error;
      result.skipped.push({ key, reason: error.message });
    }
  }
  return result;
}
