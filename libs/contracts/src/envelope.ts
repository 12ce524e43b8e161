import { IsIn, IsOptional, IsString } from 'class-validator';
import { Doc } from './schema.js';

/** Every event on the bus travels in this envelope. `id` is unique; consumers de-duplicate by it. Never a secret in `data`. */
export interface EventEnvelope<T = unknown> {
  id: string;
  type: string;
  occurredAt: string;
  data: T;
}

/** What a request over the bus answers: its result, or a typed error. */
export type BusReply<T = unknown> = { ok: true; data: T } | { ok: false; error: BusErrorPayload };

@Doc('A service answering its ping: alive, and whether it reaches its database')
export class PingReply {
  @Doc('The service that answered') @IsString() service: string;
  @Doc('Whether it reaches its database') @IsIn(['up', 'down']) database: 'up' | 'down';
  /** `behind` while one of the service's live event feeds is catching up after a bus outage (see Bus.watch). */
  @Doc("behind while one of the service's live event feeds is catching up after a bus outage") @IsOptional() @IsIn(['live', 'behind']) feeds?:
    'live' | 'behind';
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
