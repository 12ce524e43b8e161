import { Inject, Injectable, Optional } from '@nestjs/common';
import { BusError } from '@tessera/contracts';
import type { Clock } from '@tessera/observability';
import { AuditTrail } from '@tessera/persistence';
import { CLOCK } from '@tessera/runtime';

interface Window {
  failures: number[];
  pending: number;
}

/** One key's limit: at most `limit` failures (counting attempts still in progress) within `windowMs`. */
export interface FailureRule {
  key: string;
  limit: number;
  windowMs: number;
}

/** An attempt that holds a place under every rule it was reserved against until it is settled. */
export interface Reservation {
  /** The attempt failed: it stays counted for the window. */
  fail(): void;
  /** The attempt succeeded: `clear` keys forget their failures, the rest just release the place. */
  succeed(clear?: string[]): void;
  /** The attempt was not evaluated (e.g. refused for load): release the place, count nothing. */
  release(): void;
}

/**
 * Counts failed authentication attempts per key (client id + address, username + address, address) in a sliding
 * window. An attempt is reserved before the secret is checked, synchronously, so parallel attempts cannot all pass
 * the check before the first failure is counted (16 at once against a limit of 5: 5 are evaluated, 11 refused).
 * Memory per replica: an attacker spreading attempts over replicas gets `limit × replicas` (ADR 0014).
 */
@Injectable()
export class FailureLimiter {
  private readonly windows = new Map<string, Window>();
  /** When each full key was last written to the audit log: one line per key and window, not one per refused attempt. */
  private readonly reported = new Map<string, number>();

  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    @Optional() private readonly audit?: AuditTrail,
  ) {}

  /**
   * A limit met is a security event: recorded durably (its own transaction) but at most once per key and window, so a
   * flood of refused attempts costs the database nothing more. Not awaited: the refusal does not wait on the write.
   */
  private report(rule: FailureRule, now: number): void {
    if (!this.audit || (this.reported.get(rule.key) ?? -Infinity) > now - rule.windowMs) return;
    this.reported.set(rule.key, now);
    for (const [key, at] of this.reported) if (at <= now - rule.windowMs) this.reported.delete(key);
    void this.audit
      .recordAlone({
        action: 'security.rate_limited',
        outcome: 'failure',
        target: { type: 'limit', name: rule.key.slice(0, 200) },
        detail: { limit: rule.limit, windowSeconds: Math.round(rule.windowMs / 1000) },
      })
      .catch(() => this.reported.delete(rule.key));
  }

  /** Reserves one attempt under every rule, or throws rate_limited (reserving nothing) when any rule is full. */
  reserve(rules: FailureRule[]): Reservation {
    const now = this.clock.now().getTime();
    for (const rule of rules) {
      const window = this.windows.get(rule.key);
      if (!window) continue;
      window.failures = window.failures.filter((t) => t > now - rule.windowMs);
      if (window.failures.length + window.pending >= rule.limit) {
        const oldest = window.failures[0] ?? now;
        const retryAfterSeconds = Math.max(1, Math.ceil((oldest + rule.windowMs - now) / 1000));
        this.report(rule, now);
        throw new BusError('rate_limited', `Too many failed attempts; retry in ${retryAfterSeconds} s`, { retryAfterSeconds });
      }
    }
    const held = rules.map((rule) => {
      const window = this.windows.get(rule.key) ?? { failures: [], pending: 0 };
      window.pending++;
      this.windows.set(rule.key, window);
      return rule.key;
    });
    let settled = false;
    const settle = (work: (key: string, window: Window) => void) => {
      if (settled) return;
      settled = true;
      for (const key of held) {
        const window = this.windows.get(key);
        if (!window) continue;
        window.pending = Math.max(0, window.pending - 1);
        work(key, window);
      }
    };
    return {
      fail: () => {
        settle((_key, window) => {
          window.failures.push(this.clock.now().getTime());
          if (window.failures.length > 1000) window.failures.splice(0, window.failures.length - 1000);
        });
        if (this.windows.size > 100_000) this.prune(this.clock.now().getTime());
      },
      succeed: (clear = []) =>
        settle((key, window) => {
          if (clear.includes(key) && window.pending === 0) this.windows.delete(key);
        }),
      release: () => settle(() => undefined),
    };
  }

  /** Records a failure against `key` without a reservation (e.g. the client-wide count that drives the delay). */
  record(key: string): void {
    const window = this.windows.get(key) ?? { failures: [], pending: 0 };
    window.failures.push(this.clock.now().getTime());
    if (window.failures.length > 1000) window.failures.splice(0, window.failures.length - 1000);
    this.windows.set(key, window);
    if (this.windows.size > 100_000) this.prune(this.clock.now().getTime());
  }

  /** Failures recorded against `key` within `windowMs`. */
  count(key: string, windowMs: number): number {
    const now = this.clock.now().getTime();
    return this.windows.get(key)?.failures.filter((t) => t > now - windowMs).length ?? 0;
  }

  private prune(now: number): void {
    for (const [key, window] of this.windows) {
      if (window.pending === 0 && !window.failures.some((t) => t > now - 3_600_000)) this.windows.delete(key);
    }
  }
}
