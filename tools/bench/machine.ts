import { readdirSync, readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';

/** What a figure was measured on: printed by every benchmark so results can be compared across machines. */
export function machineInfo(): string {
  const cores = cpus();
  const load = loadavg()
    .map((n) => n.toFixed(2))
    .join(' ');
  return `machine: ${cores[0]?.model ?? 'unknown CPU'} · ${cores.length} cores · ${(totalmem() / 2 ** 30).toFixed(1)} GiB · Node ${process.version} · load average at start ${load}`;
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** CPU seconds used so far by every process on the machine, by pid (Linux /proc; empty elsewhere). */
export function processCpuTimes(): Map<number, { name: string; seconds: number }> {
  const ticksPerSecond = 100;
  const out = new Map<number, { name: string; seconds: number }>();
  let pids: string[] = [];
  try {
    pids = readdirSync('/proc').filter((p) => /^\d+$/.test(p));
  } catch {
    return out;
  }
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(Number(pid), { name, seconds: (Number(fields[11]) + Number(fields[12])) / ticksPerSecond });
    } catch {
      // the process ended meanwhile
    }
  }
  return out;
}

/** Where the machine's CPU went between two snapshots, in cores (CPU seconds per wall second), grouped. */
export function cpuBreakdown(
  before: Map<number, { name: string; seconds: number }>,
  after: Map<number, { name: string; seconds: number }>,
  wallSeconds: number,
  groups: Record<string, (pid: number, name: string) => boolean>,
): string {
  const totals: Record<string, number> = {};
  for (const [pid, now] of after) {
    const used = now.seconds - (before.get(pid)?.seconds ?? 0);
    if (used <= 0) continue;
    const group = Object.entries(groups).find(([, match]) => match(pid, now.name))?.[0] ?? 'everything else (other users of the machine)';
    totals[group] = (totals[group] ?? 0) + used / wallSeconds;
  }
  return Object.entries(totals)
    .sort((a, b) => b[1] - a[1])
    .map(([group, cores]) => `${group} ${cores.toFixed(2)}`)
    .join(' · ');
}

function readProc(pid: number | string, file: string): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return undefined;
  }
}

/** Every process below `parent` (children, grandchildren …), from /proc. */
export function descendants(parent: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readProc(entry, 'stat');
    if (stat) parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
  }
  const found: number[] = [];
  const walk = (pid: number) => {
    for (const [child, ppid] of parents)
      if (ppid === pid) {
        found.push(child);
        walk(child);
      }
  };
  walk(parent);
  return found;
}

/** The nats-server listening on `port` (by its command line: `-p <port>`). */
export function natsServerPid(port: number): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const args = readProc(entry, 'cmdline')?.split('\0') ?? [];
    if (!args[0]?.endsWith('nats-server')) continue;
    const at = args.indexOf('-p');
    if (at >= 0 && Number(args[at + 1]) === port) return Number(entry);
  }
  return undefined;
}

/** A service process by the app it runs (`apps/<name>/dist/main.js`), else its command name. */
export function processLabel(pid: number): string {
  const args = readProc(pid, 'cmdline')?.split('\0') ?? [];
  const app = args.map((arg) => /apps\/([a-z-]+)\/dist\/main\.js$/.exec(arg)?.[1]).find(Boolean);
  if (app) return app;
  if (args.some((arg) => arg.endsWith('cli.js'))) return 'launcher';
  return readProc(pid, 'comm')?.trim() ?? String(pid);
}
