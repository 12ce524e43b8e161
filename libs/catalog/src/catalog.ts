import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { checkTemplate } from './check.js';
import { CatalogError, type CatalogProblem } from './problem.js';
import type { ProviderTemplate, TemplateSummary } from './template.js';

/** The catalog's own templates: one JSON file per provider, beside src/ (and dist/) in this library. */
export const PROVIDERS_DIRECTORY = fileURLToPath(new URL('../providers/', import.meta.url));

export interface CatalogQuery {
  /** Words that must all appear in the name, id or description (case-insensitive). */
  search?: string;
  category?: string;
}

/** What a list shows of a template (the broker's catalog adds whether it is an admin's own). */
export function summarise(template: ProviderTemplate): TemplateSummary {
  return {
    id: template.id,
    version: template.version,
    name: template.name,
    description: template.description ?? null,
    categories: template.categories,
    docsUrl: template.docsUrl,
    grantTypes: template.grantTypes,
  };
}

/** The loaded, checked catalog: templates by id, and a list that can be searched by words and category. */
export class Catalog {
  private readonly byId: ReadonlyMap<string, ProviderTemplate>;
  private readonly summaries: readonly { summary: TemplateSummary; text: string }[];

  constructor(templates: readonly ProviderTemplate[]) {
    // Plain code-unit order of the lower-cased names: localeCompare would load ICU's collator at start-up for nothing.
    const sorted = [...templates].sort((a, b) => (a.name.toLowerCase() < b.name.toLowerCase() ? -1 : a.name.toLowerCase() > b.name.toLowerCase() ? 1 : 0));
    this.byId = new Map(sorted.map((t) => [t.id, t]));
    this.summaries = sorted.map((t) => ({ summary: summarise(t), text: `${t.id} ${t.name} ${t.description ?? ''}`.toLowerCase() }));
  }

  get size(): number {
    return this.byId.size;
  }

  get(id: string): ProviderTemplate | undefined {
    return this.byId.get(id);
  }

  templates(): ProviderTemplate[] {
    return [...this.byId.values()];
  }

  list(query: CatalogQuery = {}): TemplateSummary[] {
    const words = (query.search ?? '').toLowerCase().split(/\s+/).filter(Boolean);
    return this.summaries
      .filter(({ summary, text }) => (!query.category || summary.categories.includes(query.category)) && words.every((w) => text.includes(w)))
      .map(({ summary }) => summary);
  }

  categories(): string[] {
    return [...new Set(this.summaries.flatMap(({ summary }) => summary.categories))].sort();
  }
}

/**
 * Reads every template once, checks each against the schema and the static rules, and refuses the whole catalog
 * (CatalogError, listing every problem) if any file is wrong, its id is not its file name, or two share an id: a
 * service must not start with half a catalog.
 */
export function loadCatalog(directory = PROVIDERS_DIRECTORY): Catalog {
  const problems: CatalogProblem[] = [];
  const templates: ProviderTemplate[] = [];
  const ids = new Map<string, string>();
  const files = readdirSync(directory)
    .filter((f) => f.endsWith('.json'))
    .sort();
  for (const file of files) {
    const name = file.slice(0, -'.json'.length);
    let data: unknown;
    try {
      data = JSON.parse(readFileSync(join(directory, file), 'utf8'));
    } catch (error) {
      problems.push({ provider: name, field: '', message: `${file} is not valid JSON: ${(error as Error).message}` });
      continue;
    }
    const found = checkTemplate(data, name);
    problems.push(...found);
    if (found.length) continue;
    const template = data as ProviderTemplate;
    if (template.id !== name)
      problems.push({ provider: name, field: 'id', message: `is ${JSON.stringify(template.id)} but the file is ${file}: a template's id is its file name` });
    const key = template.id.toLowerCase();
    if (ids.has(key)) problems.push({ provider: template.id, field: 'id', message: `is used by ${ids.get(key)} too` });
    ids.set(key, file);
    templates.push(template);
  }
  if (problems.length) throw new CatalogError(problems);
  return new Catalog(templates);
}
