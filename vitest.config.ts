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
/** Whether `dir/folder` holds a file ending in `suffix`, at any depth: a Vitest project without files fails the run. */
const hasFiles = (dir: string, folder: string, suffix: string) =>
  existsSync(join(dir, folder)) && readdirSync(join(dir, folder), { recursive: true }).some((file) => String(file).endsWith(suffix));
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
    // Two files at once, also on a 2-core machine (Vitest's default there is one). Two at once once outran the tests'
    // 2 s bus timeout with argon2 sign-ins; test platforms now hash cheaply, and most of a file's time is waiting on
    // PostgreSQL, NATS and child processes rather than on this process's CPU (ADR 0051).
    maxWorkers: 2,
    projects: [
      ...viteProjects.map(({ dir }) => join(dir, 'vite.config.ts')),
      // Each project's specs and its tests are two Vitest projects: specs share their worker's loaded modules (ADR 0051).
      ...testedProjects.flatMap(({ dir, pkg }) => {
        const name = pkg.name.replace('@tessera/', '');
        const project = (kind: 'spec' | 'test') => ({
          plugins,
          resolve: { alias },
          test: {
            name: kind === 'spec' && hasFiles(dir, 'test', '.test.ts') ? `${name}:spec` : name,
            root: resolve(dir),
            include: kind === 'spec' ? ['src/**/*.spec.ts'] : ['test/**/*.test.ts'],
            // Specs load no platform and keep no state between files (no module mocks, fake timers reset after each
            // test), so they run without a fresh module graph per file: loading it was most of a spec file's time.
            isolate: kind === 'test',
            setupFiles: [join(root, 'tools/vitest.setup.ts')],
            // The end-to-end files' shared platform (ADR 0034), started only if a file of the run asks for it.
            globalSetup: kind === 'test' && pkg.name === '@tessera/platform' ? [join(dir, 'test/support/shared-platform.global.ts')] : [],
            testTimeout: 30_000,
            hookTimeout: 60_000,
          },
        });
        return [...(hasFiles(dir, 'src', '.spec.ts') ? [project('spec')] : []), ...(hasFiles(dir, 'test', '.test.ts') ? [project('test')] : [])];
      }),
    ],
  },
});
