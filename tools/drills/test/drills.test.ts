import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatResult, repoRoot, runSession, type DrillResult } from '../src/index.js';

/**
 * The bounded subset of `npm run drills` that runs in `npm test`: the drills whose guarantees hold on this branch.
 * The others are in the tool and wait on fixes elsewhere in issue 12: every kill -9 (a refresh whose answer is lost —
 * gateway or auth-server killed, or the registry down longer than the bus timeout — burns the grant until the reuse
 * interval lands; the broker's 120 s claim lease lets tokens expire), the NATS restart (watch resumption) and the
 * hanging provider (the broker's connections held across provider calls).
 */
const SUBSET = ['postgres-restart', 'failing-provider'];

describe('fault drills (npm run drills, the subset that runs in npm test)', () => {
  let results: DrillResult[] = [];
  beforeAll(async () => {
    execFileSync(process.execPath, [join(repoRoot, 'tools/build.mjs')], { stdio: 'inherit' });
    results = await runSession({
      replicas: 1, only: SUBSET, outboundTokens: { healthy: 10, troubled: 3 }, outboundLifetimeS: 20, providerFaultMs: 10_000,
      load: { clientCredentialsPerSecond: 40, grants: 15, refreshesPerSecond: 20 }, log: () => undefined,
    });
  }, 360_000);

  it.each(SUBSET)('%s: every guarantee holds', (name) => {
    const result = results.find((r) => r.drill === name);
    expect(result, `${name} did not run`).toBeDefined();
    expect(result!.held, formatResult(result!)).toBe(true);
  });

  it('a PostgreSQL restart costs only 503s, and only while it is down', () => {
    const result = results.find((r) => r.drill === 'postgres-restart')!;
    expect(result.failedRequests).toBeGreaterThan(0); // the drill did take the database away under load
    expect(result.guarantees.find((g) => g.name === 'answers 5xx other than 503')!.held, formatResult(result)).toBe(true);
    expect(result.recoveryMs).toBeLessThan(5_000);
  });
});
