import { describe, expect, it } from 'vitest';
import { judgeAttempt, retryAfterMs } from './delivery-outcome.js';

const now = new Date('2026-12-07T12:00:00Z');
const schedule = [1_000, 10_000];

describe('judging a webhook attempt', () => {
  it('only a 2xx delivers; a redirect is a failure like any other', () => {
    expect(judgeAttempt({ status: 204 }, 0, schedule, now)).toEqual({ kind: 'delivered' });
    expect(judgeAttempt({ status: 302 }, 0, schedule, now, () => 0.5)).toEqual({ kind: 'retry', delayMs: 1_000 });
    expect(judgeAttempt({ status: null }, 1, schedule, now, () => 0.5)).toEqual({ kind: 'retry', delayMs: 10_000 });
  });

  it('jitters the schedule by ±20 %', () => {
    expect(judgeAttempt({ status: 500 }, 0, schedule, now, () => 0)).toEqual({ kind: 'retry', delayMs: 800 });
    expect(judgeAttempt({ status: 500 }, 0, schedule, now, () => 0.999999)).toEqual({ kind: 'retry', delayMs: 1_200 });
  });

  it('gives up when the schedule runs out, and at once on 410', () => {
    expect(judgeAttempt({ status: 500 }, 2, schedule, now)).toEqual({ kind: 'failed' });
    expect(judgeAttempt({ status: 410 }, 0, schedule, now)).toEqual({ kind: 'gone' });
  });

  it('honours Retry-After on 429 and 503 only, bounded to a day', () => {
    expect(judgeAttempt({ status: 429, retryAfter: '3' }, 0, schedule, now)).toEqual({ kind: 'retry', delayMs: 3_000 });
    expect(judgeAttempt({ status: 503, retryAfter: 'Mon, 07 Dec 2026 12:00:30 GMT' }, 0, schedule, now)).toEqual({ kind: 'retry', delayMs: 30_000 });
    expect(judgeAttempt({ status: 503, retryAfter: '999999' }, 0, schedule, now)).toEqual({ kind: 'retry', delayMs: 86_400_000 });
    expect(judgeAttempt({ status: 500, retryAfter: '3' }, 0, schedule, now, () => 0.5)).toEqual({ kind: 'retry', delayMs: 1_000 });
    expect(retryAfterMs('soon', now)).toBeUndefined();
  });
});
