import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatResult, repoRoot, runSession, type DrillResult } from '../src/index.js';

/**
 * The bounded subset of `npm run drills` that runs in `npm test`: a NATS restart (live feeds resume, revocation holds),
 * a PostgreSQL restart (503s only while it is down), a hanging and a failing provider (the healthy provider's tokens
 * stay fresh). The kill -9 drills run with two replicas in replicas.test.ts; `npm run drills` runs them all.
 */
const SUBSET = ['nats-restart', 'postgres-restart', 'hanging-provider', 'failing-provider'];

describe('fault drills (npm run drills, the subset that runs in npm test)', () => {
  let results: DrillResult[] = [];
  beforeAll(async () => {
    execFileSync(process.execPath, [join(repoRoot, 'tools/build.mjs')], { stdio: 'inherit' });
    results = await runSession({
      replicas: 1,
      only: SUBSET,
      outboundTokens: { healthy: 10, troubled: 3 },
      outboundLifetimeS: 20,
      providerFaultMs: 10_000,
      load: { clientCredentialsPerSecond: 40, grants: 15, refreshesPerSecond: 20 },
      log: () => undefined,
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
