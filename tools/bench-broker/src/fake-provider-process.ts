// The fake provider in a process of its own, so the benchmark's provider does not share the broker's CPU time.
// argv: expiresIn seconds, "norecord" to keep no per-request log. IPC: send 'stats' to get per-path figures back.
import { FakeOAuthProvider } from '@tessera/testing';

const provider = await new FakeOAuthProvider({ expiresIn: Number(process.argv[2] ?? 3600), recordRequests: process.argv[3] !== 'norecord' }).start();
process.send?.({ url: provider.url });
process.on('message', (message: { stats?: { minGapBelowMs: number } }) => {
  if (!message.stats) return;
  let requests = 0;
  let paths = 0;
  let gapsBelow = 0;
  let minGapMs = Infinity;
  for (const stats of provider.pathStats.values()) {
    paths++;
    requests += stats.count;
    minGapMs = Math.min(minGapMs, stats.minGapMs);
    if (stats.minGapMs < message.stats.minGapBelowMs) gapsBelow++;
  }
  process.send?.({ requests, paths, gapsBelow, minGapMs });
});
process.on('disconnect', () => void provider.stop().then(() => process.exit(0)));
