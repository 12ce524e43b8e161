import { FakeOAuthProvider } from '@tessera/testing';
import type { PlatformLoad } from './load.js';
import type { DrillEnvironment } from './environment.js';

export const OUTBOUND_LIFETIME_S = 10;

export interface OutboundSetup {
  healthy: FakeOAuthProvider;
  /** The provider the provider drills make hang or fail; the healthy one must not notice. */
  troubled: FakeOAuthProvider;
  healthyProviderId: string;
  healthyNames: string[];
  troubledNames: string[];
  /** How long before expiry the providers' tokens are refreshed: what must cover a single broker's restart (ADR 0035). */
  refreshBufferMs: number;
}

/**
 * Two fake providers that rotate refresh tokens (each refresh token works once) and grant short-lived tokens (10 s,
 * refreshed 5 s before expiry) through the password grant, one token endpoint path per outbound token so their calls can be told apart.
 * The refresh buffer is what must cover a single broker's restart (ADR 0035): a killed broker's replacement is ready
 * ~4 s later on this machine and takes its leases over at once, so a token due just before the kill still has time.
 */
export async function setUpOutbound(load: PlatformLoad, healthyCount: number, troubledCount: number, lifetimeS = OUTBOUND_LIFETIME_S): Promise<OutboundSetup> {
  const healthy = await new FakeOAuthProvider({ expiresIn: lifetimeS }).start();
  const troubled = await new FakeOAuthProvider({ expiresIn: lifetimeS }).start();
  const refreshBufferS = Math.round(lifetimeS * 0.5);
  const provider = async (name: string, fake: FakeOAuthProvider) => {
    const response = await load.setUp('POST', '/admin/providers', {
      name,
      grantType: 'password',
      clientId: 'broker',
      clientSecret: 'fake-secret',
      clientAuthMethod: 'client_secret_post',
      tokenUrl: `${fake.url}/token/{{account}}`,
      refreshBufferSeconds: refreshBufferS,
      timeoutSeconds: 5,
    });
    if (response.status !== 201) throw new Error(`creating provider ${name} failed: ${response.status} ${await response.text()}`);
    return ((await response.json()) as { id: string }).id;
  };
  const tokens = async (providerId: string, prefix: string, count: number) => {
    const names: string[] = [];
    for (let i = 0; i < count; i++) {
      const name = `${prefix}-${i}`;
      const created = await load.setUp('POST', '/admin/tokens', { name, providerId, variables: { account: name }, username: 'ops', password: 'correct horse' });
      if (created.status !== 201) throw new Error(`creating token ${name} failed: ${created.status} ${await created.text()}`);
      const used = await load.setUp('GET', `/tokens/${name}`);
      if (used.status !== 200) throw new Error(`first use of ${name} failed: ${used.status} ${await used.text()}`);
      names.push(name);
    }
    return names;
  };
  const healthyProviderId = await provider('healthy', healthy);
  const troubledProviderId = await provider('troubled', troubled);
  return {
    healthy,
    troubled,
    healthyProviderId,
    healthyNames: await tokens(healthyProviderId, 'healthy', healthyCount),
    troubledNames: await tokens(troubledProviderId, 'troubled', troubledCount),
    refreshBufferMs: refreshBufferS * 1000,
  };
}

/** Watches the healthy provider's tokens in the database: which of them were ever seen past their expiry, and when that expiry was. */
export class ExpiryWatch {
  /** Token name → the expiry it was seen past (ms). */
  readonly expired = new Map<string, number>();
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly environment: DrillEnvironment,
    private readonly providerId: string,
  ) {}

  start(): void {
    this.timer = setInterval(
      () =>
        void this.environment
          .query<{ name: string; expires_at: Date }>(
            `SELECT name, expires_at FROM broker.outbound_token WHERE provider_id = $1 AND active AND expires_at < now()`,
            [this.providerId],
          )
          .then((rows) => rows?.forEach((r) => this.expired.has(r.name) || this.expired.set(r.name, new Date(r.expires_at).getTime()))),
      500,
    );
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

/** Refresh tokens the fake provider saw presented more than once since `from`: two refreshes for one expiry. */
export function refreshTokensPresentedTwice(provider: FakeOAuthProvider, from: number): number {
  const counts = new Map<string, number>();
  for (const request of provider.tokenRequests.slice(from)) {
    const token = request.params.refresh_token;
    if (request.params.grant_type === 'refresh_token' && token) counts.set(token, (counts.get(token) ?? 0) + 1);
  }
  return [...counts.values()].filter((n) => n > 1).length;
}
