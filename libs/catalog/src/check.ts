import { hostProblems } from './host-guard.js';
import type { CatalogProblem } from './problem.js';
import { consistencyProblems, variableProblems } from './rules.js';
import { schemaProblems } from './schema.js';
import { sourceProblems } from './sources.js';
import type { ProviderTemplate } from './template.js';

/**
 * Every problem of one template: its schema first (the other rules assume its shape), then variables, hosts, the
 * agreement of its fields, and its sources. The same checks serve the catalog's own files and admins' custom templates.
 */
export function checkTemplate(data: unknown, fallbackName = 'template'): CatalogProblem[] {
  const id = data && typeof data === 'object' && typeof (data as { id?: unknown }).id === 'string' ? (data as { id: string }).id : fallbackName;
  const schema = schemaProblems(data, id);
  if (schema.length) return schema;
  const template = data as ProviderTemplate;
  return [...variableProblems(template), ...hostProblems(template), ...consistencyProblems(template), ...sourceProblems(template)];
}
