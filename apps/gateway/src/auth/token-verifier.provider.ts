import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import {
  BusError,
  Events,
  INTEGRATION_EVENT_SUBJECTS,
  MAX_ACCESS_TOKEN_LIFETIME_MS,
  REPLAY_CACHES,
  Subjects,
  type IntegrationChangedEvent,
  type TokenRevokedEvent,
} from '@tessera/contracts';
import { BusClient, STORED_AT_HEADER, type Bus, type Stoppable } from '@tessera/messaging';
import { BUS, ISSUER, METRICS } from '@tessera/runtime';
import type { Metrics } from '@tessera/observability';
import { TokenVerifier, type AccessTokenClaims, type AccessTokenRequest } from '@tessera/verifier';

/**
 * Replay a day of revocations at start: no access token lives longer, so none revoked earlier can still be valid. The
 * registry's integration changes of that day come first, so the replayed revocations meet the same bounds as live ones.
 */
const REVOCATION_REPLAY_MS = MAX_ACCESS_TOKEN_LIFETIME_MS;
const REVISIONS_CATCH_UP_MS = 2_000;

/**
 * The gateway's own verifier: keys from auth-server over the bus, deny-list fed by the auth server's token.revoked
 * events, bounded by the revisions the registry's integration events announce.
 */
@Injectable()
export class GatewayTokenVerifier extends TokenVerifier implements OnModuleInit, OnApplicationShutdown {
  private feeds: Stoppable[] = [];
  /** True once the revocation replay has caught up: before that, a revoked token could pass. */
  private loaded = false;
  private stopped = false;

  constructor(
    bus: BusClient,
    @Inject(BUS) private readonly events: Bus,
    @Inject(ISSUER) issuer: string,
    @Inject(METRICS) metrics: Metrics,
  ) {
    // DPoP proofs' jtis are shared by the gateway's replicas (RFC 9449 §11.1), kept past the proofs' iat window.
    super({
      issuer,
      keys: { load: () => bus.call(Subjects.auth.jwks.get, {}) },
      metrics,
      dpop: { replay: events.replayCache(REPLAY_CACHES.dpopResource, 3 * 60_000) },
    });
  }

  async onModuleInit(): Promise<void> {
    const revisions = await this.events.watch([INTEGRATION_EVENT_SUBJECTS], REVOCATION_REPLAY_MS, async (event) =>
      this.integrationChanged(event.data as IntegrationChangedEvent),
    );
    this.feeds.push(revisions);
    // Revisions first (briefly): a replayed revocation naming a revision not yet seen would fall back to issue time.
    for (const deadline = Date.now() + REVISIONS_CATCH_UP_MS; !revisions.isLive() && Date.now() < deadline;) await new Promise((r) => setTimeout(r, 20));
    // The auth server's early copy over plain NATS, bounded by when it arrived: in force even while the stream has
    // no leader. Listening before the replay starts leaves no gap between the two. The same revocation twice changes nothing.
    this.feeds.push(this.events.listen(Events.tokenRevoked, async (event) => this.revoked(event.data as TokenRevokedEvent, Date.now())));
    const revocations = await this.events.watch([Events.tokenRevoked], REVOCATION_REPLAY_MS, async (event, headers) =>
      // Bounded by when the event reached the stream (the server's stamp), so the replay at start judges it as live.
      this.revoked(event.data as TokenRevokedEvent, Date.parse(headers[STORED_AT_HEADER] ?? '') || Date.now()),
    );
    this.feeds.push(revocations);
    // A gateway restarted after a revocation learns of it only from the replay: until the replay has caught up once,
    // no token is accepted (503). Start-up does not wait for it: the token endpoint, which clients retrying a lost
    // answer need back soonest (a refresh's reuse interval runs), does not verify access tokens.
    void (async () => {
      while (!revocations.isLive() && !this.stopped) await new Promise((r) => setTimeout(r, 20));
      this.loaded = !this.stopped;
    })();
  }

  override async verify(token: string, permission?: string): Promise<AccessTokenClaims> {
    this.assertLoaded();
    return super.verify(token, permission);
  }

  override async verifyRequest(request: AccessTokenRequest, permission?: string): Promise<AccessTokenClaims> {
    this.assertLoaded();
    return super.verifyRequest(request, permission);
  }

  private assertLoaded(): void {
    if (!this.loaded) throw new BusError('unavailable', 'The revocations are still loading; retry shortly');
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.feeds.map((feed) => feed.stop()));
    this.close();
  }
}
