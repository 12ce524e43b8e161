import { Inject, Injectable } from '@nestjs/common';
import { BusError } from '@tessera/contracts';
import { BUS_TIMEOUT_MS } from '@tessera/runtime';

/** argon2id computations running at once: one leaves the other core to the token endpoint (ADR 0014). */
const HASH_CONCURRENCY = 1;
/** Waiting beyond this many, a login is refused at once rather than queued behind a burst. */
const HASH_QUEUE_LIMIT = 16;
/** One address holds at most this many places (running or waiting), so one burst cannot fill the queue for others. */
const HASH_PLACES_PER_ADDRESS = 2;

const busy = () => new BusError('rate_limited', 'Too many sign-in attempts in progress; retry shortly', { retryAfterSeconds: 1 });

/**
 * Runs the admin password's argon2id hashes under a small concurrency cap with a bounded, per-address fair queue.
 * Each hash costs ~64 MiB and a few hundred milliseconds of a core: unbounded, 200 parallel logins exhausted the
 * thread pool and memory and slowed every other request; here they are refused with 429 and Retry-After instead.
 * A waiter still queued when the gateway has stopped waiting for it (the bus timeout) leaves without hashing.
 */
@Injectable()
export class HashGate {
  private running = 0;
  private readonly queue: { start: () => void; since: number; abandon: () => void }[] = [];
  private readonly placesByAddress = new Map<string, number>();

  constructor(@Inject(BUS_TIMEOUT_MS) private readonly busTimeoutMs: number) {}

  async run<T>(address: string, work: () => Promise<T>): Promise<T> {
    const held = this.placesByAddress.get(address) ?? 0;
    if (held >= HASH_PLACES_PER_ADDRESS || this.queue.length >= HASH_QUEUE_LIMIT) throw busy();
    this.placesByAddress.set(address, held + 1);
    try {
      if (this.running >= HASH_CONCURRENCY) {
        await new Promise<void>((start, abandon) => this.queue.push({ start, since: Date.now(), abandon: () => abandon(busy()) }));
      } else {
        this.running++;
      }
      try {
        return await work();
      } finally {
        this.next();
      }
    } finally {
      const left = (this.placesByAddress.get(address) ?? 1) - 1;
      if (left > 0) this.placesByAddress.set(address, left);
      else this.placesByAddress.delete(address);
    }
  }

  /** Hands the running place to the oldest waiter the gateway is still waiting for. */
  private next(): void {
    const deadline = Date.now() - this.busTimeoutMs;
    for (let waiter = this.queue.shift(); waiter; waiter = this.queue.shift()) {
      if (waiter.since >= deadline) return waiter.start();
      waiter.abandon();
    }
    this.running--;
  }
}
