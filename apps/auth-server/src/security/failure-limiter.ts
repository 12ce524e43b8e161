import { Inject, Injectable } from '@nestjs/common';
import { BusError } from '@tessera/contracts';
import type { Clock } from '@tessera/persistence';
import { CLOCK } from '@tessera/runtime';

interface Window { failures: number[] }

/**
 * Counts failed authentication attempts per key (client id, username, address) in a sliding window and refuses
 * further attempts for that key once the limit is reached. Memory per replica: an attacker spreading attempts over
 * replicas gets `limit × replicas`, which still caps online guessing of 256-bit secrets and argon2id-hashed passwords.
 */
@Injectable()
export class FailureLimiter {
  private readonly windows = new Map<string, Window>();

  constructor(@Inject(CLOCK) private readonly clock: Clock) {}

  /** Throws rate_limited when any of `keys` has reached `limit` failures within `windowMs`. */
  check(keys: string[], limit: number, windowMs: number): void {
    const now = this.clock.now().getTime();
    for (const key of keys) {
      const window = this.windows.get(key);
      if (!window) continue;
      window.failures = window.failures.filter((t) => t > now - windowMs);
      if (window.failures.length >= limit) {
        const retryAfterSeconds = Math.max(1, Math.ceil((window.failures[0] + windowMs - now) / 1000));
        throw new BusError('rate_limited', `Too many failed attempts; retry in ${retryAfterSeconds} s`, { retryAfterSeconds });
      }
    }
  }

  fail(keys: string[]): void {
    const now = this.clock.now().getTime();
    for (const key of keys) {
      const window = this.windows.get(key) ?? { failures: [] };
      window.failures.push(now);
      if (window.failures.length > 1000) window.failures.splice(0, window.failures.length - 1000);
      this.windows.set(key, window);
    }
    if (this.windows.size > 100_000) this.prune(now);
  }

  succeed(keys: string[]): void {
    for (const key of keys) this.windows.delete(key);
  }

  private prune(now: number): void {
    for (const [key, window] of this.windows) if (!window.failures.some((t) => t > now - 3_600_000)) this.windows.delete(key);
  }
}
