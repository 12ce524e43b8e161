import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

// Paths resolve from this file, not the working directory: each project's `test` script runs vitest from its own folder.
const root = dirname(fileURLToPath(import.meta.url));

// Every workspace project, so tests import each other's TypeScript sources (one copy of each class), not dist/.
const projects = ['libs', 'apps', 'tools'].flatMap((group) =>
  readdirSync(join(root, group), { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(root, group, d.name, 'package.json')))
    .map((d) => ({ dir: join(root, group, d.name), pkg: JSON.parse(readFileSync(join(root, group, d.name, 'package.json'), 'utf8')) })),
);
// Projects built by Vite (the admin console) run their tests with their own config: browser-like DOM, React.
const viteProjects = projects.filter(({ dir }) => existsSync(join(dir, 'vite.config.ts')));
// Projects with no tests of their own, named here rather than let a run that finds no tests pass: the benchmarks
// (they measure, `npm run bench:*`), and service-runtime, which every app's integration tests boot.
const WITHOUT_TESTS = ['tools/bench-broker', 'libs/service-runtime'];
const nodeProjects = projects.filter((p) => !viteProjects.includes(p));
const testedProjects = nodeProjects.filter((p) => !WITHOUT_TESTS.some((dir) => p.dir.endsWith(dir)));
// Each export of a package (`.`, and subpaths such as `@tessera/contracts/vocabulary`) to its source.
const alias = nodeProjects.flatMap(({ dir, pkg }) =>
  Object.entries(pkg.exports as Record<string, { types: string }>).map(([path, { types }]) => ({
    find: new RegExp(`^${pkg.name}${path.slice(1)}$`),
    replacement: resolve(dir, types),
  })),
);
const plugins = [
  swc.vite({
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      target: 'es2022',
      keepClassNames: true,
    },
  }),
];

export default defineConfig({
  test: {
    // Off: a filter or a project that finds no tests is an error, not a pass (WITHOUT_TESTS names the exceptions).
    passWithNoTests: false,
    // Vitest's default: one worker per core less one, so on a 2-core machine one file at a time. Two at once halved
    // nothing here: argon2 sign-ins of two platforms on two cores outran the tests' 2 s bus timeout (503s).
    projects: [
      ...viteProjects.map(({ dir }) => join(dir, 'vite.config.ts')),
      ...testedProjects.map(({ dir, pkg }) => ({
        plugins,
        resolve: { alias },
        test: {
          name: pkg.name.replace('@tessera/', ''),
          root: resolve(dir),
          include: ['src/**/*.spec.ts', 'test/**/*.test.ts'],
          setupFiles: [join(root, 'tools/vitest.setup.ts')],
          // The end-to-end files' shared platform (ADR 0034), started only if a file of the run asks for it.
          globalSetup: pkg.name === '@tessera/platform' ? [join(dir, 'test/support/shared-platform.global.ts')] : [],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      })),
    ],
  },
});
