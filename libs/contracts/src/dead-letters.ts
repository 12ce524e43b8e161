import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Max, Min, ValidateNested } from 'class-validator';
import { Doc, IsTimestamp, Nullable } from './schema.js';

/**
 * `malformed`: not an event envelope, published on a subject other than its type, or a payload that does not fit its
 * kind's class (`EVENT_PAYLOADS`); `rejected`: its handler refused
 * its content; `failed`: its handler kept failing on it.
 */
export const DEAD_LETTER_REASONS = ['malformed', 'rejected', 'failed'] as const;
export type DeadLetterReason = (typeof DEAD_LETTER_REASONS)[number];

/** A message a service's durable consumer set aside: terminated on the bus (never redelivered), kept here to be read. */
@Doc('An event a consumer set aside and will not process')
export class DeadLetterView {
  @Doc('Its id') @IsUUID('all') id: string;
  @Doc('The service whose consumer set it aside') @IsString() service: string;
  @Doc('The durable consumer') @IsString() consumer: string;
  @Doc('The subject it arrived on') @IsString() subject: string;
  @Doc("The event's id, when it had one") @Nullable() @IsString() eventId: string | null;
  @Doc('malformed, rejected or failed') @IsIn(DEAD_LETTER_REASONS) reason: DeadLetterReason;
  @Doc('What was wrong, in one line') @IsString() detail: string;
  @Doc('How many times it was delivered') @IsInt() deliveries: number;
  @Doc('The message as received (its first few KB)') @IsString() payload: string;
  @Doc('When it was set aside') @IsTimestamp() recordedAt: string;
}

@Doc('Dead letters, newest first')
export class DeadLetterPage {
  @Doc('The dead letters') @ValidateNested({ each: true }) @Type(() => DeadLetterView) items: DeadLetterView[];
}

@Doc('Which dead letters to read')
export class ListDeadLettersQuery {
  @Doc('At most this many from each service (default 100)') @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000) limit?: number;
}
