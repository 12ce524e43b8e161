/** A Retry-After longer than this is read as this: an endpoint cannot park a message for ever. */
const RETRY_AFTER_CEILING_MS = 86_400_000;

/** What one attempt came to: the endpoint's status (null when it never answered). */
export interface AttemptAnswer {
  status: number | null;
  retryAfter?: string | null;
}

export type DeliveryVerdict =
  | { kind: 'delivered' }
  /** 410 Gone: the receiver says the endpoint no longer exists; it is disabled. */
  | { kind: 'gone' }
  | { kind: 'retry'; delayMs: number }
  | { kind: 'failed' };

/**
 * After an attempt at step `step` of the schedule (0: the first attempt): only a 2xx is a delivery (a redirect is not
 * followed, so it fails like any other status); the next wait is the schedule's, varied by ±20 % so endpoints that
 * failed together do not retry together, or the endpoint's own Retry-After on 429 and 503.
 */
export function judgeAttempt(
  answer: AttemptAnswer,
  step: number,
  scheduleMs: readonly number[],
  now: Date,
  random: () => number = Math.random,
): DeliveryVerdict {
  if (answer.status !== null && answer.status >= 200 && answer.status < 300) return { kind: 'delivered' };
  if (answer.status === 410) return { kind: 'gone' };
  if (step >= scheduleMs.length) return { kind: 'failed' };
  const asked = answer.status === 429 || answer.status === 503 ? retryAfterMs(answer.retryAfter, now) : undefined;
  if (asked !== undefined) return { kind: 'retry', delayMs: Math.min(asked, RETRY_AFTER_CEILING_MS) };
  return { kind: 'retry', delayMs: Math.round(scheduleMs[step] * (0.8 + 0.4 * random())) };
}

/** RFC 9110 Retry-After: delay-seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(value: string | null | undefined, now: Date): number | undefined {
  if (!value) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
}
