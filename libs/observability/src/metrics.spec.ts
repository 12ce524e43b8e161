import { describe, expect, it } from 'vitest';
import { Metrics } from './metrics.js';

describe('Metrics', () => {
  it('off: instruments accept every call and nothing is registered or served', async () => {
    const metrics = Metrics.off();
    const counter = metrics.counter({ name: 'tessera_test_total', help: 'h', labelNames: ['a'] });
    counter.labels('x').inc();
    metrics
      .histogram({ name: 'tessera_test_seconds', help: 'h', buckets: [1] })
      .labels()
      .observe(1);
    expect(
      metrics.sampledGauge({ name: 'tessera_test_level', help: 'h' }, () => {
        throw new Error('never read');
      }),
    ).toBeTypeOf('function');
    expect(metrics.enabled).toBe(false);
    expect((await metrics.exposition()).body).toBe('');
  });

  it('on: a name declared twice (two services in one process) is one metric', async () => {
    const metrics = await Metrics.on();
    const first = metrics.counter({ name: 'tessera_test_total', help: 'h', labelNames: ['a'] });
    const second = metrics.counter({ name: 'tessera_test_total', help: 'h', labelNames: ['a'] });
    expect(second).toBe(first);
    first.labels('x').inc();
    second.labels('x').inc(2);
    expect((await metrics.exposition()).body).toContain('tessera_test_total{a="x"} 3');
    expect((await metrics.exposition()).body).toContain('process_cpu_user_seconds_total');
  });

  it('renders local histograms in the text format: cumulative buckets, sum and count per label set', async () => {
    const metrics = await Metrics.on();
    const latency = metrics.histogram({ name: 'tessera_test_seconds', help: 'h', labelNames: ['subject'], buckets: [0.01, 0.1] });
    for (const value of [0.005, 0.01, 0.05, 2]) latency.labels('a').observe(value);
    latency.labels('b').observe(0.2);
    const body = (await metrics.exposition()).body;
    expect(body).toContain('# TYPE tessera_test_seconds histogram');
    for (const line of [
      'tessera_test_seconds_bucket{subject="a",le="0.01"} 2',
      'tessera_test_seconds_bucket{subject="a",le="0.1"} 3',
      'tessera_test_seconds_bucket{subject="a",le="+Inf"} 4',
      'tessera_test_seconds_sum{subject="a"} 2.065',
      'tessera_test_seconds_count{subject="a"} 4',
      'tessera_test_seconds_bucket{subject="b",le="0.1"} 0',
      'tessera_test_seconds_count{subject="b"} 1',
    ])
      expect(body).toContain(line);
  });

  it('sampled gauges add up their sources at scrape time, survive a failing one, and forget a removed one', async () => {
    const metrics = await Metrics.on();
    const config = { name: 'tessera_test_pending', help: 'h', labelNames: ['service'] as const };
    const removeA = metrics.sampledGauge(config, (sample) => sample({ service: 'a' }, 2));
    metrics.sampledGauge(config, (sample) => sample({ service: 'a' }, 3));
    metrics.sampledGauge(config, async (sample) => sample({ service: 'b' }, 1));
    metrics.sampledGauge(config, async () => {
      throw new Error('database down');
    });
    let body = (await metrics.exposition()).body;
    expect(body).toContain('tessera_test_pending{service="a"} 5');
    expect(body).toContain('tessera_test_pending{service="b"} 1');
    removeA();
    body = (await metrics.exposition()).body;
    expect(body).toContain('tessera_test_pending{service="a"} 3');
  });
});
