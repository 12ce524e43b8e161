// @ts-check
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Module boundaries from the Nx tags in each project's package.json (`nx.tags`), in @nx/enforce-module-boundaries'
 * own terms: a project whose tags include `sourceTag` may import only projects carrying one of
 * `onlyDependOnLibsWithTags`, and every constraint that names one of its tags must allow the import.
 *
 * Why not @nx/enforce-module-boundaries itself: there is no @nx/eslint-plugin for nx 24 (23.2.1 is the latest, and
 * brings a second nx copy and 213 packages), and under a plain `eslint .` that rule reads the cached project graph and
 * is skipped with a warning when there is none, as on a fresh clone. The tags, each project's dependencies and these
 * constraints are all there is to know, so core ESLint's no-restricted-imports enforces them with no graph to go stale
 * (docs/decisions/0021-module-boundaries-by-lint.md).
 */
const DEP_CONSTRAINTS = [
  // The messages between services: what every side shares, so it leans on nothing of ours.
  { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: [] },
  // The permission grammar is contracts'; this library decides what a permission grants.
  { sourceTag: 'type:permissions', onlyDependOnLibsWithTags: ['type:contracts'] },
  // Encryption takes its key as a value: it reads no configuration and logs nothing.
  { sourceTag: 'type:crypto', onlyDependOnLibsWithTags: [] },
  // The provider catalog is data and the checks of it, like contracts: it may lean on contracts (the provider settings
  // its quirks map onto) and on nothing else of ours, so any service can load it.
  { sourceTag: 'type:catalog', onlyDependOnLibsWithTags: ['type:contracts'] },
  // Configuration and logging are what everything else stands on.
  { sourceTag: 'layer:foundation', onlyDependOnLibsWithTags: [] },
  // The database side publishes through its own small interface, not the bus's.
  { sourceTag: 'layer:storage', onlyDependOnLibsWithTags: ['layer:foundation', 'type:contracts'] },
  // Crypto is a leaf (pure functions over values), so any util may use it.
  { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util', 'type:crypto', 'type:contracts', 'type:permissions'] },
  // What a resource server embeds to check tokens: contracts, the permission rules, and the metrics it reports into
  // (observability, a foundation that depends on nothing of ours).
  { sourceTag: 'type:verifier', onlyDependOnLibsWithTags: ['type:contracts', 'type:permissions', 'layer:foundation'] },
  { sourceTag: 'type:runtime', onlyDependOnLibsWithTags: ['type:runtime', 'type:util', 'type:crypto', 'type:contracts', 'type:permissions'] },
  // The edge opens no database: nothing of the services' side (TypeORM, pg, migrations) is loaded in the gateway.
  { sourceTag: 'scope:edge', notDependOnLibsWithTags: ['scope:service'], bannedExternalImports: ['typeorm', '@nestjs/typeorm', 'pg', 'pg-*'] },
  // Apps use libs and talk to each other over the bus, never by import.
  {
    sourceTag: 'type:app',
    onlyDependOnLibsWithTags: ['type:runtime', 'type:util', 'type:crypto', 'type:verifier', 'type:contracts', 'type:permissions', 'type:catalog'],
  },
  // The console is a browser bundle: contract types and the permission grammar.
  { sourceTag: 'scope:console', onlyDependOnLibsWithTags: ['type:contracts', 'type:permissions'] },
  {
    sourceTag: 'type:testing',
    onlyDependOnLibsWithTags: ['type:runtime', 'type:util', 'type:crypto', 'type:verifier', 'type:contracts', 'type:permissions', 'type:catalog'],
  },
  // Launcher, benchmarks and drills compose everything.
  { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['*'] },
];

/** What a project's tests may use besides what the project itself may: the shared test helpers. */
const TEST_ONLY_TAGS = ['type:testing'];

const TEST_FILES = ['**/*.test.ts', '**/*.spec.ts', '**/*.spec.tsx', 'test/**/*.ts', 'src/test-setup.ts'];

const root = dirname(fileURLToPath(import.meta.url));

/** Every workspace project: its package name, folder and tags. */
function readProjects(base = root) {
  return ['apps', 'libs', 'tools'].flatMap((group) =>
    readdirSync(join(base, group), { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && existsSync(join(base, group, entry.name, 'package.json')))
      .map((entry) => {
        const pkg = JSON.parse(readFileSync(join(base, group, entry.name, 'package.json'), 'utf8'));
        return { name: /** @type {string} */ (pkg.name), dir: `${group}/${entry.name}`, tags: /** @type {string[]} */ (pkg.nx?.tags ?? []) };
      }),
  );
}

/** Why `source` may not import `target` (the first constraint that refuses it), or undefined when it may. */
function refusal(source, target, extraTags = []) {
  for (const constraint of DEP_CONSTRAINTS) {
    if (!source.tags.includes(constraint.sourceTag)) continue;
    const only = constraint.onlyDependOnLibsWithTags;
    if (only && !only.includes('*') && !target.tags.some((tag) => only.includes(tag) || extraTags.includes(tag))) {
      return `${constraint.sourceTag} may depend only on ${only.length ? only.join(', ') : 'nothing of ours'}`;
    }
    const not = constraint.notDependOnLibsWithTags;
    if (not && target.tags.some((tag) => not.includes(tag))) return `${constraint.sourceTag} may not depend on ${not.join(', ')}`;
  }
  return undefined;
}

function restrictions(source, projects, extraTags, morePatterns = []) {
  const refused = projects
    .filter((target) => target !== source)
    .map((target) => ({ target, why: refusal(source, target, extraTags) }))
    .filter((r) => r.why);
  const banned = DEP_CONSTRAINTS.filter((c) => c.bannedExternalImports && source.tags.includes(c.sourceTag));
  return [
    'error',
    {
      patterns: [
        ...banned.map((constraint) => ({
          group: constraint.bannedExternalImports.flatMap((name) => [name, `${name}/**`]),
          message: `${source.name} [${source.tags.join(' ')}] may not import ${constraint.bannedExternalImports.join(', ')}: ${constraint.sourceTag} opens no database (eslint.boundaries.js).`,
        })),
        ...refused.map(({ target, why }) => ({
          group: [target.name, `${target.name}/**`],
          message: `${source.name} [${source.tags.join(' ')}] may not import ${target.name} [${target.tags.join(' ')}]: ${why} (eslint.boundaries.js).`,
        })),
        { group: ['**/apps/**', '**/libs/**', '**/tools/**', '../../*/src/**'], message: 'Import another project by its package name, never by path.' },
        ...morePatterns,
      ],
    },
  ];
}

/**
 * A project's boundary rule with more patterns of its own (folder rules inside a project): a later config block's
 * no-restricted-imports replaces the earlier one's options, so it must carry the project's boundaries too.
 */
export function boundaryRule(projectName, morePatterns, projects = readProjects()) {
  const project = projects.find((p) => p.name === projectName);
  if (!project) throw new Error(`no project named ${projectName}`);
  return restrictions(project, projects, [], morePatterns);
}

/** One flat-config block per project for its code, and one for its tests (which may also use the test helpers). */
export function moduleBoundaries(projects = readProjects()) {
  return projects.flatMap((project) => [
    {
      name: `boundaries/${project.name}`,
      files: [`${project.dir}/**/*.ts`, `${project.dir}/**/*.tsx`],
      rules: { 'no-restricted-imports': restrictions(project, projects, []) },
    },
    {
      name: `boundaries/${project.name}/tests`,
      files: TEST_FILES.map((pattern) => `${project.dir}/${pattern}`),
      rules: { 'no-restricted-imports': restrictions(project, projects, TEST_ONLY_TAGS) },
    },
  ]);
}
