#!/usr/bin/env node
// Compiles the benchmark drivers in tools/bench/*.ts with the workspace's SWC settings (decorators, ESM) into
// tools/bench/dist/, then runs one: `node tools/bench/run.mjs token-endpoint [args]`. The workspace packages they
// import are the compiled dist/ of each project, so run `node tools/build.mjs` first (the npm scripts do).
import { transformFile } from '@swc/core';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const swcrc = JSON.parse(await readFile(join(here, '../../.swcrc'), 'utf8'));
delete swcrc.$schema;
const mtime = async (path) => {
  try {
    return (await stat(path)).mtimeMs;
  } catch {
    return 0;
  }
};

await mkdir(join(here, 'dist'), { recursive: true });
for (const name of await readdir(here)) {
  if (!name.endsWith('.ts') || name.endsWith('.d.ts')) continue;
  const source = join(here, name);
  const out = join(here, 'dist', name.replace(/\.ts$/, '.js'));
  if ((await mtime(out)) >= (await mtime(source))) continue;
  const { code, map } = await transformFile(source, { ...swcrc, filename: source, sourceFileName: `../${name}`, swcrc: false });
  await writeFile(out, `${code}\n//# sourceMappingURL=${name.replace(/\.ts$/, '.js')}.map\n`);
  if (map) await writeFile(`${out}.map`, map);
}

const [entry, ...rest] = process.argv.slice(2);
if (!entry) {
  console.error('usage: node tools/bench/run.mjs <token-endpoint|verifier|revocation-propagation> [args]');
  process.exit(2);
}
process.argv = [process.argv[0], join(here, 'dist', `${entry}.js`), ...rest];
await import(pathToFileURL(join(here, 'dist', `${entry}.js`)).href);
