import type { ChildProcess } from 'node:child_process';

/** One supervised process: how to (re)start it. */
export interface SupervisedChild {
  /** Shown in every report, e.g. `auth-server` or `gateway#2`. */
  name: string;
  start(): ChildProcess;
}

/** When to restart a crashed child and when to stop trying ([ADR 0018](../../../docs/decisions/0018-supervision-replicas-and-fault-drills.md)). */
export interface SupervisionPolicy {
  /** Delay before the first restart; doubled for each further crash within `windowMs`. */
  initialBackoffMs: number;
  maxBackoffMs: number;
  /** A child that crashes more than `maxCrashes` times within `windowMs` is crash-looping: it is not restarted again. */
  maxCrashes: number;
  windowMs: number;
  /** On stop, how long children get to finish before they are killed. */
  stopTimeoutMs: number;
}

export const DEFAULT_SUPERVISION: SupervisionPolicy = { initialBackoffMs: 250, maxBackoffMs: 8_000, maxCrashes: 5, windowMs: 60_000, stopTimeoutMs: 15_000 };

/** Exit code 2 is a configuration error (libs/config): restarting the same process cannot fix it. */
const CONFIGURATION_ERROR = 2;

interface Slot {
  child: SupervisedChild;
  process?: ChildProcess;
  crashes: number[];
  restartTimer?: NodeJS.Timeout;
  gaveUp: boolean;
  exited?: Promise<void>;
}

/**
 * Keeps a set of processes running: one that exits when nobody asked it to is restarted after a backoff while the
 * others keep serving; one that keeps crashing is reported and left down, the rest still serving.
 */
export class Supervisor {
  private readonly slots: Slot[];
  private stopping = false;

  constructor(
    children: SupervisedChild[],
    private readonly report: (line: string) => void,
    private readonly policy: SupervisionPolicy = DEFAULT_SUPERVISION,
    /** Called once every child is down for good (each gave up), so the launcher can exit non-zero. */
    private readonly onAllGaveUp: (exitCode: number) => void = () => undefined,
  ) {
    this.slots = children.map((child) => ({ child, crashes: [], gaveUp: false }));
  }

  start(): void {
    for (const slot of this.slots) this.launch(slot);
  }

  /** The current pid of each child (undefined while it waits to be restarted or was given up on). */
  pids(): Record<string, number | undefined> {
    return Object.fromEntries(
      this.slots.map((slot) => [slot.child.name, slot.process?.exitCode === null && slot.process.signalCode === null ? slot.process.pid : undefined]),
    );
  }

  private launch(slot: Slot): void {
    const child = slot.child.start();
    slot.process = child;
    slot.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        resolve();
        this.onExit(slot, child, code, signal);
      }),
    );
    // A spawn failure (missing binary) also ends in 'exit'; without a listener it would crash the launcher.
    child.on('error', (error) => this.report(`${slot.child.name}: ${error.message}`));
  }

  private onExit(slot: Slot, child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.stopping || slot.process !== child) return;
    const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
    if (code === CONFIGURATION_ERROR) {
      this.giveUp(slot, `${slot.child.name} ${how} (a configuration error): not restarting it`, CONFIGURATION_ERROR);
      return;
    }
    const now = Date.now();
    slot.crashes = [...slot.crashes.filter((at) => now - at < this.policy.windowMs), now];
    if (slot.crashes.length > this.policy.maxCrashes) {
      this.giveUp(
        slot,
        `${slot.child.name} ${how}: it crashed ${slot.crashes.length} times within ${this.policy.windowMs / 1000} s, so it is crash-looping and will not be restarted again; the rest of the platform keeps serving (its requests answer 503). Fix the cause (its log above) and restart the platform.`,
        1,
      );
      return;
    }
    const delay = Math.min(this.policy.maxBackoffMs, this.policy.initialBackoffMs * 2 ** (slot.crashes.length - 1));
    this.report(
      `${slot.child.name} ${how}; restarting it in ${delay} ms (crash ${slot.crashes.length} of ${this.policy.maxCrashes} allowed within ${this.policy.windowMs / 1000} s); the others keep serving`,
    );
    slot.restartTimer = setTimeout(() => {
      if (this.stopping) return;
      this.launch(slot);
      this.report(`${slot.child.name} restarted (pid ${slot.process?.pid})`);
    }, delay);
  }

  private giveUp(slot: Slot, line: string, exitCode: number): void {
    slot.gaveUp = true;
    slot.process = undefined;
    this.report(line);
    if (this.slots.every((s) => s.gaveUp)) this.onAllGaveUp(exitCode);
  }

  /** Sends `signal` to every child and waits for them (killing any still running after the stop timeout). */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    const running = this.slots.filter((slot) => {
      clearTimeout(slot.restartTimer);
      return slot.process && slot.process.exitCode === null && slot.process.signalCode === null;
    });
    for (const slot of running) slot.process!.kill(signal);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), this.policy.stopTimeoutMs);
    });
    if ((await Promise.race([Promise.all(running.map((slot) => slot.exited)), late])) === 'late') {
      for (const slot of running) slot.process!.kill('SIGKILL');
      await Promise.all(running.map((slot) => slot.exited));
    }
    clearTimeout(timer);
  }
}
