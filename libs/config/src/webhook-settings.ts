/** How the broker delivers to webhook endpoints (docs/decisions/0048). */
export interface WebhookSettings {
  /** The waits between attempts after the first (which is immediate); when they run out the message has failed. */
  retryScheduleMs: number[];
  /** An endpoint whose every delivery has failed for this long is disabled. */
  disableAfterMs: number;
  /** Delivered messages (from their delivery) and failed ones (from their event) are deleted, with their attempts, after this long. */
  retentionMs: number;
}

export const WEBHOOK_VARIABLES = ['TESSERA_WEBHOOK_RETRY_SCHEDULE', 'TESSERA_WEBHOOK_DISABLE_AFTER', 'TESSERA_WEBHOOK_RETENTION'] as const;

/** Standard Webhooks' recommended schedule (as Svix's): about 27 hours in all. */
export const DEFAULT_RETRY_SCHEDULE = '5s,5m,30m,2h,5h,10h,10h';
const DEFAULT_DISABLE_AFTER = '5d';
/** As Svix keeps a message log by default; longer than the retry schedule, so a failure can still be recovered. */
export const DEFAULT_WEBHOOK_RETENTION = '30d';
const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const DAY_MS = UNIT_MS.d;

/** `250ms`, `5s`, `30m`, `2h`, `5d` in milliseconds; undefined for anything else. */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(text.trim());
  return match ? Math.round(Number(match[1]) * UNIT_MS[match[2]]) : undefined;
}

export function readWebhookSettings(env: Record<string, string | undefined>, problems: string[]): WebhookSettings {
  const scheduleText = env.TESSERA_WEBHOOK_RETRY_SCHEDULE?.trim() || DEFAULT_RETRY_SCHEDULE;
  const schedule = scheduleText.split(',').map(parseDuration);
  if (schedule.length > 50 || schedule.some((ms) => ms === undefined || ms < 10 || ms > 7 * DAY_MS)) {
    problems.push('TESSERA_WEBHOOK_RETRY_SCHEDULE must be up to 50 comma-separated durations between 10ms and 7d (e.g. 5s,5m,30m,2h)');
  }
  const disableText = env.TESSERA_WEBHOOK_DISABLE_AFTER?.trim() || DEFAULT_DISABLE_AFTER;
  const disableAfterMs = parseDuration(disableText);
  if (disableAfterMs === undefined || disableAfterMs < 1_000 || disableAfterMs > 90 * DAY_MS) {
    problems.push('TESSERA_WEBHOOK_DISABLE_AFTER must be a duration between 1s and 90d (e.g. 5d, 12h)');
  }
  const retentionText = env.TESSERA_WEBHOOK_RETENTION?.trim() || DEFAULT_WEBHOOK_RETENTION;
  const retentionMs = parseDuration(retentionText);
  if (retentionMs === undefined || retentionMs < UNIT_MS.m || retentionMs > 3650 * DAY_MS) {
    problems.push('TESSERA_WEBHOOK_RETENTION must be a duration between 1m and 3650d (e.g. 30d, 12h)');
  }
  return { retryScheduleMs: schedule.map((ms) => ms ?? 0), disableAfterMs: disableAfterMs ?? 5 * DAY_MS, retentionMs: retentionMs ?? 30 * DAY_MS };
}
