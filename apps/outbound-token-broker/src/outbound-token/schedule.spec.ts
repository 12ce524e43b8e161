import { describe, expect, it } from 'vitest';
import { inBackoff, nextRefreshAt, retryDelayMs } from './schedule.js';

const issued = new Date('2026-11-25T10:00:00Z');
const hour = new Date('2026-11-25T11:00:00Z');

describe('nextRefreshAt', () => {
  it('plans the refresh at 80 % of the lifetime, ± 5 % jitter', () => {
    expect(nextRefreshAt(issued, hour, 0, () => 0.5)).toEqual(new Date('2026-11-25T10:48:00Z'));
    expect(nextRefreshAt(issued, hour, 0, () => 0)).toEqual(new Date('2026-11-25T10:45:00Z'));
    expect(nextRefreshAt(issued, hour, 0, () => 1)).toEqual(new Date('2026-11-25T10:51:00Z'));
  });

  it('never plans later than the buffer before expiry', () => {
    expect(nextRefreshAt(issued, hour, 30 * 60, () => 0.5)).toEqual(new Date('2026-11-25T10:30:00Z'));
  });

  it('caps the buffer at half the lifetime, so a long buffer does not mean refreshing every second', () => {
    const short = new Date(issued.getTime() + 10_000);
    expect(nextRefreshAt(issued, short, 60, () => 0.5)!.getTime()).toBe(issued.getTime() + 5000);
  });

  it('never plans in the past or sooner than a second after issue', () => {
    expect(nextRefreshAt(issued, new Date(issued.getTime() + 400), 600, () => 0)!.getTime()).toBe(issued.getTime() + 200);
  });

  it('plans nothing for a token without an expiry', () => {
    expect(nextRefreshAt(issued, null, 60)).toBeNull();
  });
});

describe('retryDelayMs', () => {
  it('doubles from one second and stays within [ceiling/2, ceiling]', () => {
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, () => 1))).toEqual([1000, 2000, 4000, 8000]);
    expect(retryDelayMs(3, () => 0)).toBe(2000);
  });

  it('caps at five minutes', () => {
    expect(retryDelayMs(40, () => 1)).toBe(300_000);
  });
});

describe('inBackoff', () => {
  const failing = { consecutiveFailures: 2, lastTransientError: 'token endpoint answered 500', nextRefreshAt: hour };

  it("holds callers off until a transient failure's retry is due", () => {
    expect(inBackoff(failing, issued)).toBe(true);
    expect(inBackoff(failing, hour)).toBe(false);
  });

  it('does not apply to a healthy token waiting for its proactive refresh, nor to a permanent failure', () => {
    expect(inBackoff({ consecutiveFailures: 0, lastTransientError: null, nextRefreshAt: hour }, issued)).toBe(false);
    expect(inBackoff({ ...failing, nextRefreshAt: null }, issued)).toBe(false);
  });
});
