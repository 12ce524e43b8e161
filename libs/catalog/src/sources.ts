import type { CatalogProblem } from './problem.js';
import type { ProviderTemplate } from './template.js';

/** Fields that describe the catalog entry itself rather than the provider: they need no source. */
const NOT_FACTS = new Set(['$schema', 'id', 'version', 'name', 'description', 'categories', 'docsUrl', 'notes', 'unconfirmed', 'sources']);
/** Records whose every key is a fact of its own (one source per parameter), not one fact as a whole. */
const KEYED_RECORDS = new Set(['authorizationParams', 'tokenParams', 'api.headers', 'refresh.params']);
/** Objects whose fields are separate facts; anything else (api.check, refresh.requires, errorWith200 …) is one fact. */
const GROUPS = new Set(['tokenResponse', 'refresh', 'api']);

/**
 * Every fact a template states, as the paths a source names: tokenUrl, pkce, refresh.rotating,
 * authorizationParams.access_type, variables.tenant, api.check …
 */
export function factPaths(template: ProviderTemplate): string[] {
  const paths: string[] = [];
  const walk = (value: unknown, path: string) => {
    if (KEYED_RECORDS.has(path) && value && typeof value === 'object') {
      for (const key of Object.keys(value)) paths.push(`${path}.${key}`);
    } else if (GROUPS.has(path) && value && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) walk(inner, `${path}.${key}`);
    } else {
      paths.push(path);
    }
  };
  for (const [key, value] of Object.entries(template)) {
    if (NOT_FACTS.has(key) || value === undefined) continue;
    if (key === 'variables') for (const variable of template.variables ?? []) paths.push(`variables.${variable.name}`);
    else walk(value, key);
  }
  return paths;
}

/**
 * Hosts of other integration catalogs and tools. A fact must come from the provider's own documentation: copying
 * another catalog would copy its mistakes and its licence.
 */
const OTHER_CATALOGS = [/(^|\.)nango\.dev$/i, /(^|\.)n8n\.io$/i, /(^|\.)pipedream\.com$/i, /(^|\.)composio\.dev$/i, /(^|\.)apideck\.com$/i];
const OTHER_CATALOG_REPOS = /^\/(NangoHQ|n8n-io|PipedreamHQ|ComposioHQ)\//i;

function fromAnotherCatalog(url: string): boolean {
  try {
    const parsed = new URL(url);
    return OTHER_CATALOGS.some((re) => re.test(parsed.hostname)) || (parsed.hostname === 'github.com' && OTHER_CATALOG_REPOS.test(parsed.pathname));
  } catch {
    return false;
  }
}

/** `a.b.c` → `a`, `a.b`, `a.b.c`: the supports entries that cover it (`refresh` covers `refresh.rotating`, a path itself). */
function prefixes(path: string): string[] {
  const out: string[] = [];
  for (let i = path.indexOf('.'); i !== -1; i = path.indexOf('.', i + 1)) out.push(path.slice(0, i));
  out.push(path);
  return out;
}

/** Every fact backed by a source, every source naming facts the template has, no source from another catalog. */
export function sourceProblems(template: ProviderTemplate): CatalogProblem[] {
  const problems: CatalogProblem[] = [];
  const add = (field: string, message: string) => problems.push({ provider: template.id, field, message });
  const facts = factPaths(template);
  // Sets instead of pairwise `covers` calls: this runs for every template at start-up.
  const supported = new Set(template.sources.flatMap((s) => s.supports));
  const coverable = new Set(facts.flatMap(prefixes));

  for (const fact of facts) {
    if (!prefixes(fact).some((p) => supported.has(p))) {
      const what = /url$/i.test(fact) || fact === 'api.baseUrl' || fact === 'api.check' ? 'URL' : 'fact';
      add(
        fact,
        `this ${what} is backed by no source: add the provider's documentation page that states it to sources (with "${fact}" in its supports), or leave the field out`,
      );
    }
  }
  template.sources.forEach((source, i) => {
    for (const path of source.supports) {
      if (!coverable.has(path)) add(`sources[${i}].supports`, `names "${path}", which this template does not set`);
    }
    for (const [name, url] of [
      ['url', source.url],
      ['via', source.via],
    ] as const) {
      if (url && fromAnotherCatalog(url)) add(`sources[${i}].${name}`, `${url} is another integration catalog, not the provider's documentation`);
    }
  });
  return problems;
}
