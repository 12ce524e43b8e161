import { IsIn, IsObject, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { Doc, IsTimestamp } from './schema.js';

/** Every event on the bus travels in this envelope. `id` is unique; consumers de-duplicate by it. Never a secret in `data`. */
export interface EventEnvelope<T = unknown> {
  id: string;
  type: string;
  occurredAt: string;
  data: T;
}

/**
 * The envelope as a consumer checks it before anything else: a message that fails this can never be handled, so it
 * is set aside at once (a dead letter) instead of being redelivered. `data` is the event's own payload, checked by
 * its handler.
 */
@Doc('An event as it travels on the bus')
export class EventEnvelopeMessage {
  @Doc("The event's id: consumers de-duplicate by it") @IsUUID('all') id: string;
  @Doc('Its kind: the subject it is published on') @IsString() @MaxLength(200) @Matches(/^[a-z0-9_.-]+$/) type: string;
  @Doc('When it happened') @IsTimestamp() occurredAt: string;
  @Doc('What happened (never a secret)') @IsObject() data: Record<string, unknown>;
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
