import { Type } from 'class-transformer';
import { IsBoolean, IsInt, IsObject, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { Doc, IsTimestamp } from './schema.js';

@Doc('Which stored events to read')
export class ListEventsQuery {
  @Doc('The nextCursor of the previous page (a stream sequence); absent: from the oldest stored event')
  @IsOptional()
  @Matches(/^\d{1,16}$/, { message: 'after must be a cursor this list gave' })
  after?: string;
  @Doc('Only these event types, comma-separated: `auth.token.revoked`, `token.*` (with or without the owner), `*`')
  @IsOptional()
  @MaxLength(2000)
  @Matches(/^[a-z0-9_.*-]{1,200}(,[a-z0-9_.*-]{1,200})*$/, {
    message: 'types must be event types separated by commas, e.g. token.*,registry.integration.deleted',
  })
  types?: string;
  @Doc('At most this many events are read from the history per page (default 100); with `types`, fewer may match')
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}

@Doc('An event as stored, with its place in the history')
export class StoredEventView {
  @Doc('Its place in the history: pass it as `after`, or as Last-Event-ID to the live stream') @IsString() sequence: string;
  @Doc("The event's id") @IsString() id: string;
  @Doc('Its type: the subject it was published on') @IsString() type: string;
  @Doc('When it happened') @IsTimestamp() occurredAt: string;
  @Doc('What happened (never a secret)') @IsObject() data: Record<string, unknown>;
}

@Doc('A page of the stored event history, oldest first')
export class EventHistoryPage {
  @Doc('The events') @ValidateNested({ each: true }) @Type(() => StoredEventView) items: StoredEventView[];
  @Doc('Pass as `after` for the next page (also when this one is the last: the history grows)') @IsString() nextCursor: string;
  @Doc('Whether more events are stored after nextCursor now') @IsBoolean() more: boolean;
}
