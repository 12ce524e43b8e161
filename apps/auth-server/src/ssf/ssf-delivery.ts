import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { BusError, type SsfPollCommand, type SsfPollResponse } from '@tessera/contracts';
import type { Egress } from '@tessera/egress';
import type { Clock, Logger } from '@tessera/observability';
import { DatabaseAvailability } from '@tessera/persistence';
import { CLOCK, EGRESS, ISSUER, LOGGER } from '@tessera/runtime';
import { SigningKeysService } from '../keys/signing-keys.service.js';
import { SsfMetrics } from './ssf-metrics.js';
import { SsfSecrets } from './ssf-secrets.js';
import type { SsfPendingSet, SsfStream } from './ssf-stream.entity.js';
import { SsfStore } from './ssf.store.js';

/** Poll answers carry this many SETs unless the receiver asks for fewer (RFC 8936 leaves it to the transmitter). */
const DEFAULT_MAX_EVENTS = 100;
const PUSH_BATCH = 100;
/** A claimed push SET is not claimed again for this long: longer than one request may take. */
const PUSH_LEASE_MS = 30_000;
const PUSH_INTERVAL_MS = 1_000;
/** RFC 8935 has no schedule: doubling from 2 s up to an hour, with jitter, until the SET's retention runs out. */
const MAX_BACKOFF_MS = 3_600_000;
const PUSH_LIMITS = { connectTimeoutMs: 5_000, firstByteTimeoutMs: 15_000, idleTimeoutMs: 15_000, maxResponseBytes: 64 * 1024 };

export function pushBackoffMs(attempts: number, random: number): number {
  const base = Math.min(MAX_BACKOFF_MS, 2_000 * 2 ** Math.min(attempts, 20));
  return Math.round(base / 2 + (base / 2) * random);
}

/**
 * Hands SETs to receivers: polled (RFC 8936) or pushed (RFC 8935, through the egress policy, retried with backoff).
 * A SET is signed when it leaves, with the current key, so one that waited still verifies against the JWKS; it is
 * deleted once acknowledged (poll) or accepted (push).
 */
@Injectable()
export class SsfDelivery implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  private stopped = false;

  constructor(
    private readonly store: SsfStore,
    private readonly keys: SigningKeysService,
    private readonly secrets: SsfSecrets,
    private readonly availability: DatabaseAvailability,
    private readonly metrics: SsfMetrics,
    @Inject(EGRESS) private readonly egress: Egress,
    @Inject(ISSUER) private readonly issuer: string,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.kick(), PUSH_INTERVAL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
  }

  /** Something was queued: push now rather than at the next tick. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.pushDue()
      .catch((err) => {
        if (!this.availability.noteFailure(err)) this.logger.error({ err }, 'SSF push failed');
      })
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  /** RFC 8936: acknowledge, then answer what waits (none while the stream is paused or disabled). */
  async poll(command: SsfPollCommand, stream: SsfStream): Promise<SsfPollResponse> {
    if (stream.deliveryMethod !== 'urn:ietf:rfc:8936')
      throw new BusError('validation_failed', 'The stream is delivered by push', { stream_id: 'is a push stream' });
    const refused = Object.keys(command.setErrs ?? {});
    if (refused.length) this.logger.warn({ streamId: stream.id, setErrs: command.setErrs }, 'SSF receiver refused SETs');
    const now = this.clock.now();
    for (const queuedAt of await this.store.remove(stream.id, command.ack ?? [])) this.metrics.setDelivered('poll', queuedAt, now);
    await this.store.remove(stream.id, refused);
    const max = command.maxEvents ?? DEFAULT_MAX_EVENTS;
    if (stream.status !== 'enabled' || max === 0) return { sets: {}, moreAvailable: false };
    const { sets, more } = await this.store.pending(stream.id, max);
    const signed: Record<string, string> = {};
    for (const set of sets) signed[set.jti] = await this.sign(set, stream);
    return { sets: signed, moreAvailable: more };
  }

  private sign(set: SsfPendingSet, stream: SsfStream): Promise<string> {
    return this.keys.signSecurityEvent({ iss: this.issuer, aud: stream.receiver, ...set.claims });
  }

  private async pushDue(): Promise<void> {
    for (;;) {
      const due = await this.store.claimDuePushes(this.clock.now(), PUSH_LEASE_MS, PUSH_BATCH);
      if (!due.length) return;
      // Each stream in order, streams side by side: a slow receiver holds up only its own SETs.
      const byStream = new Map<string, { set: SsfPendingSet; stream: SsfStream }[]>();
      for (const item of due) byStream.set(item.stream.id, [...(byStream.get(item.stream.id) ?? []), item]);
      await Promise.all(
        [...byStream.values()].map(async (items) => {
          for (const { set, stream } of items) if (!(await this.push(set, stream))) break;
        }),
      );
      if (due.length < PUSH_BATCH || this.stopped) return;
    }
  }

  /** One RFC 8935 delivery; true when the receiver took it (or refused it for good), false to retry later. */
  private async push(set: SsfPendingSet, stream: SsfStream): Promise<boolean> {
    let outcome: string;
    try {
      const headers: Record<string, string> = { 'content-type': 'application/secevent+jwt', accept: 'application/json' };
      if (stream.authorizationHeaderSealed) headers.authorization = this.secrets.open(stream.authorizationHeaderSealed, stream.id);
      const response = await this.egress.fetch(
        stream.endpointUrl!,
        { method: 'POST', headers, body: await this.sign(set, stream), redirect: 'manual' },
        PUSH_LIMITS,
      );
      const body = await response.text().catch(() => '');
      if (response.status >= 200 && response.status < 300) {
        await this.store.delivered(set.jti);
        this.metrics.setDelivered('push', new Date(set.createdAt), this.clock.now());
        return true;
      }
      // RFC 8935 §2.3: a 400 with an error code means the receiver will never take this SET; sending it again won't help.
      if (response.status === 400 && /"err"\s*:/.test(body)) {
        this.logger.warn({ streamId: stream.id, jti: set.jti, answer: body.slice(0, 200) }, 'SSF receiver refused a SET');
        await this.store.delivered(set.jti);
        return true;
      }
      outcome = `HTTP ${response.status}`;
    } catch (err) {
      outcome = err instanceof Error ? err.message : String(err);
    }
    const next = new Date(this.clock.now().getTime() + pushBackoffMs(set.attempts, Math.random()));
    this.metrics.pushFailed();
    await this.store.failed(set.jti, next, outcome);
    this.logger.warn({ streamId: stream.id, jti: set.jti, attempts: set.attempts + 1, outcome, next }, 'SSF push failed; will retry');
    return false;
  }
}
