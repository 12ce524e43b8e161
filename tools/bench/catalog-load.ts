/**
 * Provider catalog load benchmark: what reading and checking every template in libs/catalog/providers adds
 * to a process's start-up.
 *
 *   npm run bench:catalog [-- --runs 20]
 *
 * Each run is a fresh Node process (nothing cached between runs), so the figure is a cold start's. Two figures per run:
 * - in-process: from just before `import('@tessera/catalog')` to the end of `loadCatalog()` — importing the module
 *   (with its compiled validator), reading every provider file, validating it against the schema and the static rules,
 *   and checking the ids. This is what the broker pays when it loads the catalog at start-up.
 * - whole process: the wall time of `node` running that against `node` running an empty module, the difference being
 *   the same cost seen from outside (it includes module resolution and GC the in-process clock may miss).
 * The process's CPU time over the same span is printed too: on a machine whose cores other work keeps busy, wall time
 * mostly measures waiting for a core, and the empty-module start shows by how much (Node starts in about 40 ms on an
 * idle core). Target: the in-process median under 100 ms.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { machineInfo, percentile } from './machine.js';

const TARGET_MS = 100;
const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const { values } = parseArgs({ options: { runs: { type: 'string', default: '20' } } });
const runs = Number(values.runs);

const LOAD = `
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const c0 = cpu(), t0 = performance.now();
const { loadCatalog } = await import('@tessera/catalog');
const c1 = cpu(), t1 = performance.now();
const catalog = loadCatalog();
const c2 = cpu(), t2 = performance.now();
console.log(JSON.stringify({ importMs: t1 - t0, loadMs: t2 - t1, cpuMs: c2 - c0, templates: catalog.templates().length }));
`;
// Node's own start-up CPU (bootstrap to the first line of user code), the yardstick for the figure above.
const EMPTY = `const u = process.cpuUsage(); console.log(JSON.stringify({ cpuMs: (u.user + u.system) / 1000 }));`;

function run(source: string): { wallMs: number; out: Record<string, number> } {
  const started = process.hrtime.bigint();
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', source], { cwd: root, encoding: 'utf8' });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (child.status !== 0) throw new Error(`child failed (${child.status}): ${child.stderr}`);
  return { wallMs, out: JSON.parse(child.stdout.trim()) as Record<string, number> };
}

console.log(machineInfo());
run(LOAD); // warm the file-system cache once; every measured run is still a new process
const inProcess: number[] = [];
const importOnly: number[] = [];
const loadOnly: number[] = [];
const cpuTotal: number[] = [];
const withCatalog: number[] = [];
const withoutCatalog: number[] = [];
const nodeStartCpu: number[] = [];
let templates = 0;
for (let i = 0; i < runs; i++) {
  // interleaved, so a change in the machine's load hits both sides alike
  const loaded = run(LOAD);
  const empty = run(EMPTY);
  templates = loaded.out.templates;
  importOnly.push(loaded.out.importMs);
  loadOnly.push(loaded.out.loadMs);
  inProcess.push(loaded.out.importMs + loaded.out.loadMs);
  cpuTotal.push(loaded.out.cpuMs);
  withCatalog.push(loaded.wallMs);
  withoutCatalog.push(empty.wallMs);
  nodeStartCpu.push(empty.out.cpuMs);
}
const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const line = (label: string, xs: number[]) => {
  const s = sorted(xs);
  return `${label.padEnd(44)} median ${percentile(s, 50).toFixed(1).padStart(7)} ms · p90 ${percentile(s, 90).toFixed(1).padStart(7)} ms · min ${s[0].toFixed(1).padStart(7)} ms`;
};
const differences = withCatalog.map((ms, i) => ms - withoutCatalog[i]);
console.log(`${templates} templates, ${runs} runs, each a fresh node process`);
console.log(line('import @tessera/catalog', importOnly));
console.log(line('loadCatalog() (read, schema, rules, ids)', loadOnly));
console.log(line('in-process total (import + load)', inProcess));
console.log(line('in-process CPU time (user + system)', cpuTotal));
console.log(line("node's own start-up CPU time (yardstick)", nodeStartCpu));
console.log(line('whole process: node with the catalog', withCatalog));
console.log(line('whole process: node, empty module', withoutCatalog));
console.log(line('whole process: difference', differences));
const median = percentile(sorted(inProcess), 50);
console.log(`target: in-process median < ${TARGET_MS} ms → ${median < TARGET_MS ? 'met' : 'NOT met'} (${median.toFixed(1)} ms)`);
