import { describe, expect, it } from 'vitest';
import { parseDuration, readWebhookSettings } from './webhook-settings.js';

describe('webhook settings', () => {
  it('reads durations in ms, s, m, h and d', () => {
    expect([parseDuration('250ms'), parseDuration('5s'), parseDuration('30m'), parseDuration('2h'), parseDuration('1.5d')]).toEqual([
      250, 5_000, 1_800_000, 7_200_000, 129_600_000,
    ]);
    expect(parseDuration('5')).toBeUndefined();
    expect(parseDuration('5 weeks')).toBeUndefined();
  });

  it('defaults to the Standard Webhooks schedule and five days before disabling', () => {
    const problems: string[] = [];
    const settings = readWebhookSettings({}, problems);
    expect(problems).toEqual([]);
    expect(settings.retryScheduleMs).toEqual([5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000]);
    expect(settings.disableAfterMs).toBe(5 * 86_400_000);
    expect(settings.retentionMs).toBe(30 * 86_400_000);
  });

  it('takes a compressed schedule and refuses nonsense', () => {
    const problems: string[] = [];
    expect(
      readWebhookSettings({ TESSERA_WEBHOOK_RETRY_SCHEDULE: '100ms, 200ms', TESSERA_WEBHOOK_DISABLE_AFTER: '2s', TESSERA_WEBHOOK_RETENTION: '2h' }, problems),
    ).toEqual({ retryScheduleMs: [100, 200], disableAfterMs: 2_000, retentionMs: 7_200_000 });
    readWebhookSettings({ TESSERA_WEBHOOK_RETRY_SCHEDULE: '5s,soon', TESSERA_WEBHOOK_DISABLE_AFTER: '0s', TESSERA_WEBHOOK_RETENTION: '5s' }, problems);
    expect(problems).toHaveLength(3);
  });
});
