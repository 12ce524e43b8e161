import { describe, expect, it } from 'vitest';
import { categoryOf, minuteBuckets } from './minute-buckets';

describe('minuteBuckets', () => {
  const now = Date.parse('2026-11-20T12:30:30Z');

  it('counts events per minute for the last hour by category, oldest first', () => {
    const buckets = minuteBuckets(
      [
        { type: 'tessera.events.broker.token.refreshed', occurredAt: '2026-11-20T12:30:05Z' },
        { type: 'tessera.events.auth.token.revoked', occurredAt: '2026-11-20T12:30:10Z' },
        { type: 'tessera.events.registry.integration.created', occurredAt: '2026-11-20T11:31:00Z' },
        { type: 'tessera.events.registry.integration.created', occurredAt: '2026-11-20T11:30:59Z' },
      ],
      now,
    );
    expect(buckets).toHaveLength(60);
    expect(buckets[59].counts).toEqual({ issued: 0, refreshed: 1, revoked: 1, other: 0 });
    expect(buckets[0].counts.other).toBe(1);
    expect(buckets.reduce((n, b) => n + b.counts.other, 0)).toBe(1);
  });

  it('puts token and instance events in their series', () => {
    expect(categoryOf('tessera.events.broker.token.authorized')).toBe('issued');
    expect(categoryOf('tessera.events.broker.token.recovered')).toBe('refreshed');
    expect(categoryOf('tessera.events.registry.instance.deauthorized')).toBe('revoked');
    expect(categoryOf('tessera.events.registry.instance.registered')).toBe('other');
  });
});
