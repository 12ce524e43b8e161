import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { Logger } from '@tessera/observability';
import { DatabaseAvailability } from '@tessera/persistence';
import { LOGGER } from '@tessera/runtime';
import { OutboundTokenStore } from '../outbound-token/outbound-token.store.js';

const BEAT_MS = 1_000;

/**
 * Keeps this process's leases in force (docs/decisions/0035): a beat a second, each good for HOLDER_ALIVE_MS. It runs
 * until the process ends, graceful stop included (the refreshes still draining then keep their leases); once it
 * stops, whoever claims next — a replica, or this process's replacement — takes the leases over within seconds
 * rather than after the longest provider call they could have covered.
 */
@Injectable()
export class LeaseHeartbeat implements OnApplicationBootstrap {
  constructor(
    private readonly store: OutboundTokenStore,
    private readonly availability: DatabaseAvailability,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    const beat = () =>
      void this.store.beat().catch((err: unknown) => {
        if (!this.availability.noteFailure(err)) this.logger.warn({ err }, 'lease heartbeat failed; retrying');
      });
    beat();
    setInterval(beat, BEAT_MS).unref();
  }
}
