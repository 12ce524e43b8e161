import { Kvm, type KV } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import { createHash } from 'node:crypto';
import type { ReplayCache } from '@tessera/contracts';
import { BusUnavailableError } from './bus.js';

export type { ReplayCache } from '@tessera/contracts';

/** The bucket's name on the wire: the platform's prefix keeps test platforms and tenants apart. */
export function replayBucketName(subjectPrefix: string, name: string): string {
  return `tessera_replay_${name}${subjectPrefix ? `_${subjectPrefix}` : ''}`.replace(/[^A-Za-z0-9_-]/g, '_');
}

/** KV keys are a restricted alphabet: any presented value is hashed into it (and never stored as sent). */
function keyFor(value: string): string {
  return createHash('sha256').update(value).digest('base64url');
}

/**
 * A NATS JetStream key-value bucket used create-only: `create` succeeds only while the key has no value, which the
 * server decides (expected last subject sequence 0), so two replicas racing with one value get one success between
 * them. Entries leave with the bucket's max age; they are never read back.
 */
export class NatsKvReplayCache implements ReplayCache {
  private bucket?: Promise<KV>;

  constructor(
    private readonly connection: () => NatsConnection,
    private readonly bucketName: string,
    private readonly maxAgeMs: number,
  ) {}

  async claimOnce(value: string): Promise<boolean> {
    const kv = await this.open();
    try {
      await kv.create(keyFor(value), new Uint8Array(0));
      return true;
    } catch (error) {
      if (isWrongLastSequence(error)) return false;
      // Not knowing whether it was used is not "unused": the caller answers 503 and the client retries.
      throw new BusUnavailableError(`$KV.${this.bucketName}`, 'disconnected');
    }
  }

  private open(): Promise<KV> {
    this.bucket ??= new Kvm(this.connection()).create(this.bucketName, { history: 1, ttl: this.maxAgeMs }).catch((error: unknown) => {
      this.bucket = undefined;
      throw error instanceof BusUnavailableError ? error : new BusUnavailableError(`$KV.${this.bucketName}`, 'disconnected');
    });
    return this.bucket;
  }
}

function isWrongLastSequence(error: unknown): boolean {
  const message = error instanceof Error ? error.message : '';
  const code = (error as { code?: unknown })?.code;
  // JetStream API error 10071 (wrong last sequence), as nats.js v3 reports it.
  return code === 10071 || /wrong last sequence/i.test(message);
}

/** In one process (embedded mode, tests): the same rule in memory, each key forgotten `maxAgeMs` after it was taken. */
export class MemoryReplayCache implements ReplayCache {
  private readonly taken = new Map<string, number>();

  constructor(
    private readonly maxAgeMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async claimOnce(value: string): Promise<boolean> {
    const now = this.now();
    if (this.taken.size > 10_000) for (const [key, until] of this.taken) if (until <= now) this.taken.delete(key);
    const key = keyFor(value);
    const until = this.taken.get(key);
    if (until !== undefined && until > now) return false;
    this.taken.set(key, now + this.maxAgeMs);
    return true;
  }
}
