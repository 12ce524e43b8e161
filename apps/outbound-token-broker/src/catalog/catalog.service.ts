import { Injectable } from '@nestjs/common';
import { Catalog, checkTemplate, describeProblem, loadCatalog, summarise, type ProviderTemplate } from '@tessera/catalog';
import { BusError, type CatalogEntry, type CatalogList, type CatalogQuery, type CatalogSummary, type ImportTemplatesReply } from '@tessera/contracts';
import { AuditTrail, EventOutbox, Transactions } from '@tessera/persistence';
import { CustomTemplate } from './custom-template.entity.js';
import { CustomTemplateStore } from './custom-template.store.js';
import { importNangoProviders } from './nango-import.js';
import { unknownTemplateFields } from './template-provider.js';

/** The repository's catalog, read and checked once per process: a broker does not start with half a catalog (ADR 0041). */
let repositoryCatalog: Catalog | undefined;
export function repositoryTemplates(): Catalog {
  repositoryCatalog ??= loadCatalog();
  return repositoryCatalog;
}

/** JSON with keys in order: jsonb does not keep the order a template was written in. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  return JSON.stringify(value);
}

const summary = (template: ProviderTemplate, custom: boolean): CatalogSummary => ({ ...summarise(template), custom });

/**
 * The catalog as admins see it: the repository's templates and their own (custom ones, stored in the broker's schema,
 * each checked by the same rules). A custom id never shadows a repository one, and saving an id again needs a higher
 * version, so a provider made from it is offered the change rather than changed under it.
 */
@Injectable()
export class CatalogService {
  private readonly repository = repositoryTemplates();

  constructor(
    private readonly store: CustomTemplateStore,
    private readonly transactions: Transactions,
    private readonly audit: AuditTrail,
    private readonly outbox: EventOutbox,
  ) {}

  async list(query: CatalogQuery): Promise<CatalogList> {
    const words = (query.search ?? '').toLowerCase().split(/\s+/).filter(Boolean);
    const custom = (await this.store.all())
      .map((row) => row.template)
      .filter(
        (t) =>
          (!query.category || t.categories.includes(query.category)) &&
          words.every((w) => `${t.id} ${t.name} ${t.description ?? ''}`.toLowerCase().includes(w)),
      );
    const items = [...this.repository.list(query).map((s) => ({ ...s, custom: false })), ...custom.map((t) => summary(t, true))];
    items.sort((a, b) => (a.name.toLowerCase() < b.name.toLowerCase() ? -1 : a.name.toLowerCase() > b.name.toLowerCase() ? 1 : 0));
    return { items, categories: [...new Set([...this.repository.categories(), ...custom.flatMap((t) => t.categories)])].sort() };
  }

  /** A template by id, repository first; undefined when there is none. */
  async find(id: string): Promise<{ template: ProviderTemplate; custom: boolean } | undefined> {
    const repository = this.repository.get(id);
    if (repository) return { template: repository, custom: false };
    const custom = await this.store.get(id);
    return custom ? { template: custom.template, custom: true } : undefined;
  }

  async get(id: string): Promise<CatalogEntry> {
    const found = await this.find(id);
    if (!found) throw BusError.notFound('Catalog template', id);
    return found;
  }

  /** Problems of a template an admin gives, by the catalog's own rules plus the engine's (no quirk it does not know). */
  private check(data: unknown): ProviderTemplate {
    const problems = checkTemplate(data).map(describeProblem);
    if (!problems.length) problems.push(...unknownTemplateFields(data as ProviderTemplate).map((f) => `${f}: is a quirk the broker does not know`));
    if (problems.length) throw new BusError('validation_failed', 'The template does not pass the catalog checks', { template: problems });
    const template = data as ProviderTemplate;
    if (this.repository.get(template.id)) throw BusError.conflict(`${template.id} is a template of the repository's catalog; give yours another id`);
    return template;
  }

  private async saveChecked(templates: ProviderTemplate[], action: string): Promise<CustomTemplate[]> {
    const saved = await this.transactions.run(async (manager) => {
      const rows: CustomTemplate[] = [];
      for (const template of templates) {
        const before = await this.store.get(template.id);
        if (before && before.version >= template.version)
          throw BusError.conflict(`Template ${template.id} is at version ${before.version}: a change needs a higher version`);
        const row = await this.store.save(manager, Object.assign(new CustomTemplate(), { id: template.id, version: template.version, template }));
        await this.audit.record(manager, {
          action,
          target: { type: 'catalog_template', id: template.id, name: template.name },
          ...(before ? { before: { version: before.version } } : {}),
          after: { version: template.version },
        });
        rows.push(row);
      }
      return rows;
    });
    void this.outbox.flush();
    return saved;
  }

  async save(data: unknown): Promise<CatalogEntry> {
    const template = this.check(data);
    await this.saveChecked([template], 'catalog.template.save');
    return { template, custom: true };
  }

  /**
   * A Nango-format providers.yaml: its OAuth entries become custom templates (a key already imported at the same
   * version is skipped: an import changes nothing silently), the rest are answered as skipped with their reasons.
   */
  async import(yaml: string): Promise<ImportTemplatesReply> {
    const { templates, skipped } = importNangoProviders(yaml);
    const imported: ProviderTemplate[] = [];
    const reply: ImportTemplatesReply = { imported: [], skipped: skipped.map(({ key, reason }) => ({ key, reason })) };
    for (const template of templates) {
      if (this.repository.get(template.id)) {
        reply.skipped.push({ key: template.id, reason: `${template.id} is a template of the repository's catalog: use it, or rename the entry` });
        continue;
      }
      const existing = await this.store.get(template.id);
      if (existing && canonical(existing.template) === canonical({ ...template, version: existing.version })) {
        reply.skipped.push({ key: template.id, reason: `already imported, unchanged (version ${existing.version})` });
        continue;
      }
      imported.push({ ...template, version: existing ? existing.version + 1 : 1 });
    }
    await this.saveChecked(imported, 'catalog.template.import');
    reply.imported = imported.map((t) => ({ key: t.id, id: t.id, version: t.version }));
    return reply;
  }
}
