import { BusError } from '@tessera/contracts';
import type { Bus, BusClient, LiveFeed } from '@tessera/messaging';
import { Metrics } from '@tessera/observability';
import { TokenRejected } from '@tessera/verifier';
import { describe, expect, it } from 'vitest';
import { GatewayTokenVerifier } from './token-verifier.provider.js';

/** A bus whose revocation replay catches up when the test says so (the integration revisions are live at once). */
function busWithReplay() {
  let replayCaughtUp = false;
  const feed = (live: () => boolean): LiveFeed =>
    ({ name: 'feed', isLive: live, status: () => ({ state: live() ? 'live' : 'behind', lastSequence: 0 }), stop: async () => undefined }) as LiveFeed;
  let watches = 0;
  const events = {
    replayCache: () => ({ claimOnce: async () => true }),
    watch: async () => (watches++ === 0 ? feed(() => true) : feed(() => replayCaughtUp)),
    listen: () => ({ stop: async () => undefined }),
  } as unknown as Bus;
  return { events, catchUp: () => (replayCaughtUp = true) };
}

describe("the gateway's verifier after a (re)start", () => {
  it('accepts no token (503) until its revocation replay has caught up, without holding its start-up for it', async () => {
    const { events, catchUp } = busWithReplay();
    const verifier = new GatewayTokenVerifier({} as BusClient, events, 'https://tessera.test', Metrics.off());
    await verifier.onModuleInit();

    const early = await verifier
      .verifyRequest({ authorization: 'Bearer a.b.c', method: 'GET', url: 'https://tessera.test/api/whoami' })
      .catch((e: unknown) => e);
    expect(early).toBeInstanceOf(BusError);
    expect((early as BusError).code).toBe('unavailable');
    await expect(verifier.verify('a.b.c')).rejects.toMatchObject({ code: 'unavailable' });

    catchUp();
    await new Promise((r) => setTimeout(r, 100));
    // From now on a token is judged on its own merits: this one is malformed.
    await expect(verifier.verify('not-a-token')).rejects.toBeInstanceOf(TokenRejected);
    await verifier.onApplicationShutdown();
  });
});
