/** Every event on the bus travels in this envelope. `id` is unique; consumers de-duplicate by it. Never a secret in `data`. */
export interface EventEnvelope<T = unknown> {
  id: string;
  type: string;
  occurredAt: string;
  data: T;
}

/** What a request over the bus answers: its result, or a typed error. */
export type BusReply<T = unknown> = { ok: true; data: T } | { ok: false; error: BusErrorPayload };

export interface PingReply {
  service: string;
  database: 'up' | 'down';
  /** `behind` while one of the service's live event feeds is catching up after a bus outage (see Bus.watch). */
  feeds?: 'live' | 'behind';
}

export const BUS_ERROR_CODES = [
  'validation_failed',
  'not_found',
  'conflict',
  'unauthorized',
  'forbidden',
  'rate_limited',
  'oauth',
  'unavailable',
  'internal',
] as const;
export type BusErrorCode = (typeof BUS_ERROR_CODES)[number];

export interface BusErrorPayload {
  code: BusErrorCode;
  message: string;
  /** For validation_failed: field → messages. For oauth: { error, error_description } (RFC 6749). For rate_limited: { retryAfterSeconds }. */
  details?: Record<string, unknown>;
}
