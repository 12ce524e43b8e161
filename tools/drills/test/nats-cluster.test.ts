import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLUSTER_DRILL, formatResult, repoRoot, runSession, type DrillResult } from '../src/index.js';

/**
 * `npm run drills -- nats-cluster`, bounded for `npm test`: the platform on three clustered nats-servers of its own
 * (the generated configuration, secured), under a lighter load; the node leading the event stream is killed and
 * restarted. No grant lost, no event lost or doubled, revocations in force, token requests back within 5 s.
 */
describe('the platform on a NATS cluster loses the node leading the event stream', () => {
  let result: DrillResult | undefined;
  beforeAll(async () => {
    execFileSync(process.execPath, [join(repoRoot, 'tools/build.mjs')], { stdio: 'inherit' });
    [result] = await runSession({
      replicas: 1,
      only: [CLUSTER_DRILL],
      outboundTokens: { healthy: 3, troubled: 0 },
      outboundLifetimeS: 30,
      load: { clientCredentialsPerSecond: 30, grants: 10, refreshesPerSecond: 10 },
      log: () => undefined,
    });
  }, 360_000);

  it('holds every guarantee', () => {
    expect(result, 'the drill did not run').toBeDefined();
    console.log(formatResult(result!));
    expect(result!.held, formatResult(result!)).toBe(true);
    expect(result!.recoveryMs, formatResult(result!)).toBeLessThanOrEqual(5_000);
    expect(result!.note, formatResult(result!)).toMatch(/replicas current again/);
  });
});
