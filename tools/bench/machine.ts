import { cpus, loadavg, totalmem } from 'node:os';

/** What a figure was measured on: printed by every benchmark so results can be compared across machines. */
export function machineInfo(): string {
  const cores = cpus();
  const load = loadavg().map((n) => n.toFixed(2)).join(' ');
  return `machine: ${cores[0]?.model ?? 'unknown CPU'} · ${cores.length} cores · ${(totalmem() / 2 ** 30).toFixed(1)} GiB · Node ${process.version} · load average at start ${load}`;
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
