import { execFileSync } from 'node:child_process';
import { get } from 'node:http';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatResult, refreshTokensPresentedTwice, repoRoot, runSession, type DrillResult, type Guarantee } from '../src/index.js';

/**
 * TESSERA_REPLICAS=2: two of every service (the gateway included, as cluster workers sharing one port) on one
 * database and one bus, under load, and one replica of the gateway and of the auth-server killed with -9.

 */

const guarantee = (result: DrillResult, name: string): Guarantee => {
  const found = result.guarantees.find((g) => g.name.startsWith(name));
  if (!found) throw new Error(`${result.drill} has no figure "${name}"`);
  return found;
};

/** A GET on a connection of its own (no keep-alive agent), so the cluster hands it to the next gateway in turn. */
function oneRequestOnItsOwnConnection(url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    get(url, { agent: false, headers: { connection: 'close' } }, (response) => {
      response.resume();
      response.on('end', () => resolve());
    }).on('error', reject);
  });
}

describe('replicas: two of every service on one database and bus', () => {
  let results: DrillResult[] = [];
  const spread: Record<string, number[]> = {};
  let presentedTwice = -1;

  beforeAll(async () => {
    execFileSync(process.execPath, [join(repoRoot, 'tools/build.mjs')], { stdio: 'inherit' });
    results = await runSession(
      {
        replicas: 2,
        only: ['kill-gateway', 'kill-auth-server'],
        outboundTokens: { healthy: 10, troubled: 0 },
        outboundLifetimeS: 20,
        load: { clientCredentialsPerSecond: 40, grants: 10, refreshesPerSecond: 10 },
        log: () => undefined,
      },
      {
        beforeDrills: async ({ environment }) => {
          // The launcher's round-robin spreads gateway *connections*, and the load's keep-alive pool holds few: 40 more,
          // one request each, give each gateway its turns whatever the pool did (each readiness check pings every service).
          await Promise.all(Array.from({ length: 40 }, () => oneRequestOnItsOwnConnection(`${environment.url}/health/ready`)));
          // Messages NATS delivered to each responder connection (requests) and received from each gateway (requests sent).
          for (const c of await environment.connections()) {
            (spread[c.name] ??= []).push(c.name === 'gateway' ? c.inMsgs : c.outMsgs);
          }
        },
        afterDrills: async ({ outbound }) => {
          presentedTwice = refreshTokensPresentedTwice(outbound.healthy, 0);
        },
      },
    );
  }, 360_000);

  it('spreads requests over both replicas of every service', () => {
    for (const service of ['gateway', 'auth-server', 'integrations-registry', 'outbound-token-broker']) {
      const counts = spread[service] ?? [];
      expect(counts, `${service}: ${JSON.stringify(spread)}`).toHaveLength(2);
      const total = counts[0] + counts[1];
      expect(total, service).toBeGreaterThan(20);
      // Queue groups give each service replica a share; the launcher's round-robin spreads gateway *connections*, and a
      // keep-alive client holds few, so gateways are only required to both take a real part.
      expect(Math.min(...counts) / total, `${service}: ${counts}`).toBeGreaterThan(service === 'gateway' ? 0.05 : 0.2);
    }
  });

  it('refreshes each outbound token once per expiry although two brokers schedule refreshes', () => {
    expect(presentedTwice).toBe(0);
  });

  it.each(['kill-gateway', 'kill-auth-server'])('%s: a replica killed under load costs only the requests it had in flight', (name) => {
    const result = results.find((r) => r.drill === name)!;
    expect(result, `${name} did not run`).toBeDefined();
    for (const figure of [
      'failed requests ≤ in flight',
      'answers 5xx other than 503',
      'recovery',
      'duplicated events',
      'missing events',
      'healthy providers',
      'outbound refresh tokens presented twice',
    ]) {
      expect(guarantee(result, figure).held, `${figure}\n${formatResult(result)}`).toBe(true);
    }
  });

  it.each(['kill-gateway', 'kill-auth-server'])('%s: every other guarantee holds too (integration changes on every replica, no grant lost)', (name) => {
    const result = results.find((r) => r.drill === name)!;
    expect(result.held, formatResult(result)).toBe(true);
  });
});
