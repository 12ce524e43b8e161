import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
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
const nodeProjects = projects.filter((p) => !viteProjects.includes(p));
const alias = nodeProjects.map(({ dir, pkg }) => ({ find: new RegExp(`^${pkg.name}$`), replacement: resolve(dir, pkg.exports['.'].types) }));
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
    // `nx run-many -t test` runs every project; one without tests yet is not a failure.
    passWithNoTests: true,
    // Vitest's default is one worker per core less one: on a 2-core machine the whole suite ran one file at a time,
    // though an end-to-end file spends most of its time waiting on sockets, timers and other processes. One worker per
    // core, and never fewer than two, keeps both cores busy (tools/platform/test/README.md, "Speed").
    maxWorkers: Math.max(2, availableParallelism()),
    projects: [
      ...viteProjects.map(({ dir }) => join(dir, 'vite.config.ts')),
      ...nodeProjects.map(({ dir, pkg }) => ({
        plugins,
        resolve: { alias },
        test: {
          name: pkg.name.replace('@tessera/', ''),
          root: resolve(dir),
          include: ['src/**/*.spec.ts', 'test/**/*.test.ts'],
          setupFiles: [join(root, 'tools/vitest.setup.ts')],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      })),
    ],
  },
});
