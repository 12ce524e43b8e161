import { Inject, Injectable } from '@nestjs/common';
import type { Clock } from '@tessera/observability';
import { CLOCK } from '@tessera/runtime';
import type { WebhookEndpoint } from './webhook-endpoint.entity.js';
import { WebhookEndpointStore } from './webhook-endpoint.store.js';

/** How long another replica's change may go unseen by this one's intake. */
const TTL_MS = 2_000;

/**
 * The enabled endpoints, read at most every 2 s: the intake sees every event on the platform (each token issued
 * among them) and must not query the database for each when most match nothing. A change made here is seen at once.
 */
@Injectable()
export class WebhookEndpointCache {
  private loaded?: { at: number; endpoints: Promise<WebhookEndpoint[]> };
  private readonly listeners: (() => void)[] = [];

  constructor(
    private readonly store: WebhookEndpointStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  enabled(): Promise<WebhookEndpoint[]> {
    const now = this.clock.now().getTime();
    if (!this.loaded || now - this.loaded.at > TTL_MS) {
      const endpoints = this.store.listEnabled();
      this.loaded = { at: now, endpoints };
      endpoints.catch(() => (this.loaded = undefined));
    }
    return this.loaded.endpoints;
  }

  changed(): void {
    this.loaded = undefined;
    for (const listener of this.listeners) listener();
  }

  /** Called on every change made through this replica (the intake starts or stops taking notifications at once). */
  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }
}
