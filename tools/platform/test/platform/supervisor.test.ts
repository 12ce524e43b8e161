import { eventually } from '@tessera/testing';
import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { Supervisor, type SupervisionPolicy } from '../../src/supervisor.js';
import { isAlive } from '../support/processes.js';

const FAST: SupervisionPolicy = { initialBackoffMs: 20, maxBackoffMs: 200, maxCrashes: 3, windowMs: 10_000, stopTimeoutMs: 2_000 };
const node = (script: string) => () => spawn(process.execPath, ['-e', script], { stdio: 'ignore' });
const SERVING = 'setInterval(() => {}, 1000); process.on("SIGTERM", () => process.exit(0))';

describe("Supervisor (the launcher's process supervision)", () => {
  let supervisor: Supervisor | undefined;
  afterEach(async () => {
    await supervisor?.stop();
    supervisor = undefined;
  });

  it('restarts a killed child with backoff while the others keep running', async () => {
    const lines: string[] = [];
    supervisor = new Supervisor(
      [
        { name: 'auth-server', start: node(SERVING) },
        { name: 'gateway', start: node(SERVING) },
      ],
      (line) => lines.push(line),
      FAST,
    );
    supervisor.start();
    const before = supervisor.pids();
    process.kill(before['auth-server']!, 'SIGKILL');
    await eventually(
      async () => {
        const pid = supervisor!.pids()['auth-server'];
        return pid !== undefined && pid !== before['auth-server'];
      },
      5_000,
      20,
    );
    expect(supervisor.pids().gateway).toBe(before.gateway);
    expect(isAlive(before.gateway!)).toBe(true);
    expect(lines[0]).toMatch(/^auth-server was killed by SIGKILL; restarting it in 20 ms \(crash 1 of 3 allowed within 10 s\)/);
    expect(lines[1]).toMatch(/^auth-server restarted \(pid \d+\)$/);
  });

  it('reports a crash loop once and stops restarting that child; the rest keep serving', async () => {
    const lines: string[] = [];
    let starts = 0;
    supervisor = new Supervisor(
      [
        {
          name: 'outbound-token-broker',
          start: () => {
            starts++;
            return node('process.exit(1)')();
          },
        },
        { name: 'gateway', start: node(SERVING) },
      ],
      (line) => lines.push(line),
      FAST,
    );
    supervisor.start();
    const gateway = supervisor.pids().gateway!;
    await eventually(async () => lines.some((line) => /crash-looping/.test(line)), 5_000, 20);
    await new Promise((resolve) => setTimeout(resolve, 300)); // no further restart comes
    expect(starts).toBe(FAST.maxCrashes + 1);
    expect(lines.filter((line) => /crash-looping/.test(line))).toHaveLength(1);
    expect(lines.at(-1)).toMatch(
      /^outbound-token-broker exited with code 1: it crashed 4 times within 10 s, so it is crash-looping and will not be restarted again; the rest of the platform keeps serving/,
    );
    // Backoff doubled between attempts: 20, 40, 80 ms.
    expect(lines.filter((line) => /restarting it in/.test(line)).map((line) => /in (\d+) ms/.exec(line)![1])).toEqual(['20', '40', '80']);
    expect(supervisor.pids().gateway).toBe(gateway);
    expect(isAlive(gateway)).toBe(true);
  });

  it('does not restart a child that exits with a configuration error (code 2), and says when nothing is left', async () => {
    const lines: string[] = [];
    let exitCode: number | undefined;
    supervisor = new Supervisor(
      [{ name: 'auth-server', start: node('process.exit(2)') }],
      (line) => lines.push(line),
      FAST,
      (code) => {
        exitCode = code;
      },
    );
    supervisor.start();
    await eventually(async () => exitCode !== undefined, 5_000, 20);
    expect(exitCode).toBe(2);
    expect(lines).toEqual(['auth-server exited with code 2 (a configuration error): not restarting it']);
  });

  it('stops every child on stop(), killing one that ignores the signal after the stop timeout', async () => {
    supervisor = new Supervisor(
      [
        { name: 'polite', start: node(SERVING) },
        { name: 'stubborn', start: node('process.on("SIGTERM", () => {}); setInterval(() => {}, 1000)') },
      ],
      () => undefined,
      { ...FAST, stopTimeoutMs: 300 },
    );
    supervisor.start();
    const pids = Object.values(supervisor.pids()) as number[];
    await new Promise((resolve) => setTimeout(resolve, 200)); // let the stubborn one install its handler
    await supervisor.stop();
    expect(pids.map(isAlive)).toEqual([false, false]);
  });
});
