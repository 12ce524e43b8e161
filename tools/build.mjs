#!/usr/bin/env node
// Compiles every app and lib from src/ to dist/ with SWC (decorator metadata included, which Nest's DI needs).
// Type checking is separate (`npm run typecheck`, part of each project's lint target) so start-up stays fast.
// Projects with a vite.config.ts (the admin console) are bundled by Vite instead, and only when their inputs changed,
// so `npm start` stays fast when nobody touched the console.
// Usage: node tools/build.mjs [projectDir...]   (default: all projects; unchanged files are skipped)
import { transformFile } from '@swc/core';
import { mkdir, readdir, stat, writeFile, readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const swcrc = JSON.parse(await readFile(join(root, '.swcrc'), 'utf8'));
delete swcrc.$schema;

async function* sources(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* sources(path);
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') && !entry.name.endsWith('.d.ts')) yield path;
  }
}

async function mtime(path) {
  try {
    return (await stat(path)).mtimeMs;
  } catch {
    return 0;
  }
}

async function newest(path) {
  const info = await stat(path).catch(() => undefined);
  if (!info) return 0;
  if (!info.isDirectory()) return info.mtimeMs;
  const entries = await readdir(path, { withFileTypes: true });
  return Math.max(info.mtimeMs, ...(await Promise.all(entries.map((e) => newest(join(path, e.name))))));
}

/** A Vite project's inputs: its sources, page, configs, and the libs it bundles from source (vite.config.ts aliases). */
async function buildViteProject(projectDir) {
  const inputs = ['src', 'index.html', 'vite.config.ts', 'package.json', 'tsconfig.json'].map((p) => join(projectDir, p));
  const config = await readFile(join(projectDir, 'vite.config.ts'), 'utf8');
  for (const [, lib] of config.matchAll(/lib\('([a-z-]+)'/g)) inputs.push(join(root, 'libs', lib, 'src'));
  const changed = Math.max(...(await Promise.all(inputs.map(newest))));
  if ((await mtime(join(projectDir, 'dist', 'index.html'))) >= changed) return 0;
  const { build } = await import('vite');
  await build({ root: projectDir, configFile: join(projectDir, 'vite.config.ts'), logLevel: 'warn' });
  console.error(`[build] bundled ${relative(root, projectDir)} with Vite`);
  return 1;
}

async function buildProject(projectDir) {
  if (await mtime(join(projectDir, 'vite.config.ts'))) return buildViteProject(projectDir);
  const src = join(projectDir, 'src');
  if (!(await mtime(src))) return 0;
  let count = 0;
  for await (const file of sources(src)) {
    const out = join(projectDir, 'dist', relative(src, file)).replace(/\.ts$/, '.js');
    if ((await mtime(out)) >= (await mtime(file))) continue;
    const { code, map } = await transformFile(file, { ...swcrc, filename: file, sourceFileName: relative(dirname(out), file), swcrc: false });
    await mkdir(dirname(out), { recursive: true });
    await writeFile(out, `${code}\n//# sourceMappingURL=${out.split('/').pop()}.map\n`);
    if (map) await writeFile(`${out}.map`, map);
    count++;
  }
  return count;
}

const args = process.argv.slice(2);
const projects = args.length
  ? args.map((p) => resolve(p))
  : (
      await Promise.all(
        ['libs', 'apps', 'tools'].map(async (group) =>
          (await readdir(join(root, group), { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => join(root, group, d.name)),
        ),
      )
    ).flat();
const started = Date.now();
const counts = await Promise.all(projects.map(buildProject));
const total = counts.reduce((a, b) => a + b, 0);
if (total) console.error(`[build] compiled ${total} files in ${Date.now() - started} ms`);
