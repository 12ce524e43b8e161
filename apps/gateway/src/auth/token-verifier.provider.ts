import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { Events, Subjects, type TokenRevokedEvent } from '@tessera/contracts';
import { BusClient, type Bus, type Stoppable } from '@tessera/messaging';
import { BUS, ISSUER, METRICS } from '@tessera/runtime';
import type { Metrics } from '@tessera/observability';
import { TokenVerifier } from '@tessera/verifier';

/** Replay a day of revocations at start: no access token lives longer, so none revoked earlier can still be valid. */
const REVOCATION_REPLAY_MS = 86_400_000;

/** The gateway's own verifier: keys from auth-server over the bus, deny-list fed by every token.revoked event. */
@Injectable()
export class GatewayTokenVerifier extends TokenVerifier implements OnModuleInit, OnApplicationShutdown {
  private feed?: Stoppable;

  constructor(
    bus: BusClient,
    @Inject(BUS) private readonly events: Bus,
    @Inject(ISSUER) issuer: string,
    @Inject(METRICS) metrics: Metrics,
  ) {
    super({ issuer, keys: { load: () => bus.call(Subjects.auth.jwks.get, {}) }, metrics });
  }

  async onModuleInit(): Promise<void> {
    this.feed = await this.events.watch([Events.tokenRevoked], REVOCATION_REPLAY_MS, async (event) => this.revoked(event.data as TokenRevokedEvent));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.feed?.stop();
    this.close();
  }
}
