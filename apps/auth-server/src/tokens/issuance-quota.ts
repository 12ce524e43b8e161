import { Inject, Injectable } from '@nestjs/common';
import { BusError } from '@tessera/contracts';
import type { Clock } from '@tessera/observability';
import { CLOCK } from '@tessera/runtime';
import { IssuanceWindowStore } from './issuance-window.store.js';

const HOUR_MS = 3_600_000;

/**
 * An integration's optional quota of client_credentials tokens per hour (like Auth0's M2M token quotas). Counted in
 * Postgres with one atomic upsert per token, so replicas share one count and never let more through between them;
 * the count is taken before the token is signed, so a refused request costs no grant. Fixed clock-hour windows:
 * simple to explain ("N per hour, resets on the hour") and one row per integration and hour.
 */
@Injectable()
export class IssuanceQuota {
  constructor(
    private readonly windows: IssuanceWindowStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Takes one token from the quota, or throws rate_limited (429 with Retry-After at the token endpoint). */
  async take(integrationId: string, perHour: number | null | undefined): Promise<void> {
    if (!perHour) return;
    const now = this.clock.now().getTime();
    const windowEnd = new Date(Math.floor(now / HOUR_MS) * HOUR_MS + HOUR_MS);
    if (await this.windows.take(integrationId, windowEnd, perHour)) return;
    const retryAfterSeconds = Math.max(1, Math.ceil((windowEnd.getTime() - now) / 1000));
    throw new BusError('rate_limited', `This integration may be issued ${perHour} tokens per hour with client_credentials; retry in ${retryAfterSeconds} s`, {
      retryAfterSeconds,
    });
  }
}
