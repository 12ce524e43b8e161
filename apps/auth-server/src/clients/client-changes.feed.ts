import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { INTEGRATION_EVENT_SUBJECTS, type IntegrationChangedEvent } from '@tessera/contracts';
import type { Bus, LiveFeed } from '@tessera/messaging';
import { BUS } from '@tessera/runtime';
import { ClientDirectory } from './client-directory.js';

/**
 * Every replica hears every integration change (a live feed, not the service's durable consumer, which hands each
 * event to one replica) and drops its cached record. Correctness does not rest on it — the revision barrier refuses a
 * stale record at issue — but it spares the replica that refusal and its retry.
 */
@Injectable()
export class ClientChangesFeed implements OnModuleInit, OnApplicationShutdown {
  private feed?: LiveFeed;

  constructor(
    private readonly clients: ClientDirectory,
    @Inject(BUS) private readonly bus: Bus,
  ) {}

  async onModuleInit(): Promise<void> {
    this.feed = await this.bus.watch([INTEGRATION_EVENT_SUBJECTS], 0, async (event) => {
      const applicationId = (event.data as IntegrationChangedEvent | undefined)?.applicationId;
      if (typeof applicationId === 'string') this.clients.evict(applicationId);
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.feed?.stop();
  }
}
