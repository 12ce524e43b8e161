import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { Events, Subjects, type TokenRevokedEvent } from '@tessera/contracts';
import { BusClient, type Stoppable } from '@tessera/messaging';
import { RUNTIME, type ServiceRuntime } from '@tessera/runtime';
import { TokenVerifier } from '@tessera/verifier';

/** Replay a day of revocations at start: no access token lives longer, so none revoked earlier can still be valid. */
const REVOCATION_REPLAY_MS = 86_400_000;

/** The gateway's own verifier: keys from auth-server over the bus, deny-list fed by every token.revoked event. */
@Injectable()
export class GatewayTokenVerifier extends TokenVerifier implements OnModuleInit, OnApplicationShutdown {
  private feed?: Stoppable;

  constructor(private readonly bus: BusClient, @Inject(RUNTIME) private readonly runtime: ServiceRuntime) {
    super({ issuer: runtime.config.issuer, keys: { load: () => bus.call(Subjects.auth.jwks.get, {}) } });
  }

  async onModuleInit(): Promise<void> {
    this.feed = await this.runtime.bus.watch([Events.tokenRevoked], REVOCATION_REPLAY_MS, async (event) => this.revoked(event.data as TokenRevokedEvent));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.feed?.stop();
    this.close();
  }
}
