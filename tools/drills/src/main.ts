// npm run drills [-- [--replicas N] [drill ...]]: the fault drills on a platform of their own (PostgreSQL and
// nats-server on free ports, never the shared ones). Prints each drill's figures; exits 1 when a guarantee broke.
import 'reflect-metadata';
import { cpus } from 'node:os';
import { runSession } from './session.js';

const args = process.argv.slice(2);
const at = args.indexOf('--replicas');
const replicas = at >= 0 ? Number(args[at + 1]) : 1;
const only = args.filter((a, i) => !a.startsWith('--') && (at < 0 || i !== at + 1));
if (!Number.isInteger(replicas) || replicas < 1 || replicas > 4) {
  console.error('--replicas takes 1-4');
  process.exit(2);
}
console.log(`Tessera fault drills on ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}`);
const results = await runSession({ replicas, only: only.length ? only : undefined });
const broken = results.filter((r) => !r.held);
console.log(`\n${results.length - broken.length} of ${results.length} drills held${broken.length ? `; broken: ${broken.map((r) => r.drill).join(', ')}` : ''}`);
process.exit(broken.length ? 1 : 0);
