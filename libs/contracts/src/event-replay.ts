import { Type } from 'class-transformer';
import { IsBoolean, IsInt, IsObject, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { Doc, IsTimestamp } from './schema.js';

/** The most events one replay answer holds: a consumer pages on with `afterSequence`. */
export const REPLAY_PAGE_SIZE = 500;

/**
 * What a consumer that fell behind the stream's retention asks the owner of a subject for: the events it published
 * on that subject whose stream sequence lies strictly between the consumer's acknowledged floor and the stream's first
 * stored event (ADR 0038).
 */
@Doc("Published events of one subject, by stream sequence, from the owner's outbox")
export class ReplayEventsQuery {
  @Doc('The event subject (unprefixed)') @IsString() @MaxLength(200) @Matches(/^tessera\.events\.[a-z0-9_.-]+$/) subject: string;
  @Doc('Events after this stream sequence') @Type(() => Number) @IsInt() @Min(0) afterSequence: number;
  @Doc('Events before this stream sequence') @Type(() => Number) @IsInt() @Min(1) beforeSequence: number;
  @Doc(`At most this many (default and most ${REPLAY_PAGE_SIZE})`) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(REPLAY_PAGE_SIZE) limit?: number;
}

@Doc('An event as it was published, with the stream sequence it was stored at')
export class ReplayedEvent {
  @Doc("The event's id") @IsUUID('all') id: string;
  @Doc('Its subject') @IsString() type: string;
  @Doc('When it happened') @IsTimestamp() occurredAt: string;
  @Doc('What happened') @IsObject() data: Record<string, unknown>;
  @Doc('The headers it was published with (the request that caused it)') @IsObject() headers: Record<string, string>;
  @Doc('Its stream sequence') @IsInt() sequence: number;
  @Doc("When the stream stored it (the relay's publish acknowledgement)") @IsTimestamp() publishedAt: string;
}

@Doc('Replayed events, oldest first')
export class ReplayedEventPage {
  @Doc('The events') @ValidateNested({ each: true }) @Type(() => ReplayedEvent) events: ReplayedEvent[];
  @Doc('Whether more follow after the last one') @IsBoolean() more: boolean;
}
