import type { EventEnvelope } from '../../api/types';

export const CATEGORIES = ['issued', 'refreshed', 'revoked', 'other'] as const;
export type Category = (typeof CATEGORIES)[number];

/**
 * Which series of the chart an event counts in: tokens issued, refreshes, revocations, and everything else. A token
 * issued by the refresh_token grant is a refresh of one issued before, not a new one.
 */
export function categoryOf(type: string, data?: unknown): Category {
  if (/\.token\.issued$/.test(type) && (data as { grantType?: string } | undefined)?.grantType === 'refresh_token') return 'refreshed';
  if (/\.token\.(issued|authorized)$/.test(type)) return 'issued';
  if (/\.token\.(refreshed|recovered)$/.test(type)) return 'refreshed';
  if (/\.(token|instance)\.(revoked|deauthorized)$/.test(type)) return 'revoked';
  return 'other';
}

export interface MinuteBucket {
  start: number;
  counts: Record<Category, number>;
}

/** Per-minute counts for the `minutes` minutes up to `now` (oldest first); events outside the window are ignored. */
export function minuteBuckets(events: (Pick<EventEnvelope, 'type' | 'occurredAt'> & { data?: unknown })[], now: number, minutes = 60): MinuteBucket[] {
  const end = Math.floor(now / 60_000) * 60_000;
  const first = end - (minutes - 1) * 60_000;
  const buckets: MinuteBucket[] = Array.from({ length: minutes }, (_, i) => ({
    start: first + i * 60_000,
    counts: { issued: 0, refreshed: 0, revoked: 0, other: 0 },
  }));
  for (const event of events) {
    const at = Date.parse(event.occurredAt);
    if (!Number.isFinite(at)) continue;
    const index = Math.floor((at - first) / 60_000);
    if (index >= 0 && index < minutes) buckets[index].counts[categoryOf(event.type, event.data)]++;
  }
  return buckets;
}
