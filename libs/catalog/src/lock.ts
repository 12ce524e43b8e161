import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CatalogProblem } from './problem.js';
import type { ProviderTemplate } from './template.js';

/** Each template's version and the hash of what it says, as last recorded: `npm run catalog:lock` writes it. */
export const LOCK_FILE = fileURLToPath(new URL('../catalog.lock.json', import.meta.url));

export type CatalogLock = Record<string, { version: number; sha256: string }>;

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/** What a template says, independent of key order and whitespace; its version and editor hint left out. */
export function templateHash(template: ProviderTemplate): string {
  const { version: _version, $schema: _schema, ...content } = template;
  return createHash('sha256')
    .update(JSON.stringify(canonical(content)))
    .digest('hex');
}

export function readLock(file = LOCK_FILE): CatalogLock {
  return JSON.parse(readFileSync(file, 'utf8')) as CatalogLock;
}

/**
 * A provider made from a template remembers its version and is offered newer ones, so a change that keeps the
 * version would reach nobody: every change of content must come with a higher version, and the lock records both.
 */
export function lockProblems(templates: ProviderTemplate[], lock: CatalogLock): CatalogProblem[] {
  const problems: CatalogProblem[] = [];
  const fix = 'then run npm run catalog:lock';
  for (const template of templates) {
    const entry = lock[template.id];
    const hash = templateHash(template);
    if (!entry) problems.push({ provider: template.id, field: 'version', message: `is not in catalog.lock.json (a new template): ${fix}` });
    else if (entry.sha256 !== hash && entry.version === template.version)
      problems.push({
        provider: template.id,
        field: 'version',
        message: `the template changed but its version is still ${template.version}: raise it, ${fix}`,
      });
    else if (template.version < entry.version)
      problems.push({ provider: template.id, field: 'version', message: `went down from ${entry.version} to ${template.version}: versions only go up` });
    else if (entry.sha256 !== hash || entry.version !== template.version)
      problems.push({ provider: template.id, field: 'version', message: `catalog.lock.json records version ${entry.version}: ${fix}` });
  }
  const ids = new Set(templates.map((t) => t.id));
  for (const id of Object.keys(lock)) {
    if (!ids.has(id)) problems.push({ provider: id, field: '', message: `is in catalog.lock.json but has no template (removed or renamed): ${fix}` });
  }
  return problems;
}

/** The lock for these templates; refuses (returns the problems) where content changed without a higher version. */
export function nextLock(templates: ProviderTemplate[], lock: CatalogLock): { lock: CatalogLock; problems: CatalogProblem[] } {
  const problems = lockProblems(templates, lock).filter((p) => /still|went down/.test(p.message));
  const next: CatalogLock = {};
  for (const t of [...templates].sort((a, b) => a.id.localeCompare(b.id))) next[t.id] = { version: t.version, sha256: templateHash(t) };
  return { lock: next, problems };
}
