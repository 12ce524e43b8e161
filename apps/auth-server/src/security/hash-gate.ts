import { Injectable } from '@nestjs/common';
import { BusError } from '@tessera/contracts';

/** argon2id computations running at once: one leaves the other core to the token endpoint (ADR 0014). */
export const HASH_CONCURRENCY = 1;
/** Waiting beyond this many, a login is refused at once rather than queued behind a burst. */
export const HASH_QUEUE_LIMIT = 16;
/** One address holds at most this many places (running or waiting), so one burst cannot fill the queue for others. */
export const HASH_PLACES_PER_ADDRESS = 1;

/**
 * Runs the admin password's argon2id hashes under a small concurrency cap with a bounded, per-address fair queue.
 * Each hash costs ~64 MiB and a few hundred milliseconds of a core: unbounded, 200 parallel logins exhausted the
 * thread pool and memory and slowed every other request; here they are refused with 429 and Retry-After instead.
 */
@Injectable()
export class HashGate {
  private running = 0;
  private readonly queue: (() => void)[] = [];
  private readonly placesByAddress = new Map<string, number>();

  async run<T>(address: string, work: () => Promise<T>): Promise<T> {
    const held = this.placesByAddress.get(address) ?? 0;
    if (held >= HASH_PLACES_PER_ADDRESS || this.queue.length >= HASH_QUEUE_LIMIT) {
      throw new BusError('rate_limited', 'Too many sign-in attempts in progress; retry shortly', { retryAfterSeconds: 1 });
    }
    this.placesByAddress.set(address, held + 1);
    try {
      if (this.running >= HASH_CONCURRENCY) await new Promise<void>((start) => this.queue.push(start));
      else this.running++;
      try {
        return await work();
      } finally {
        const next = this.queue.shift();
        if (next) next();
        else this.running--;
      }
    } finally {
      const left = (this.placesByAddress.get(address) ?? 1) - 1;
      if (left > 0) this.placesByAddress.set(address, left);
      else this.placesByAddress.delete(address);
    }
  }
}
