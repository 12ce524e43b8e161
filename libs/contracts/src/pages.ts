import { IsInt, IsString, Min } from 'class-validator';
import { Doc, Nullable } from './schema.js';

/** A page of a list read by offset; each list's page class adds its `items`. */
@Doc('A page of a list, by offset')
export class OffsetPage {
  @Doc('How many there are in all') @IsInt() @Min(0) total: number;
  @Doc('The most this page holds') @IsInt() limit: number;
  @Doc('How many come before this page') @IsInt() offset: number;
}

/** A page of a list read by cursor (newest first); each list's page class adds its `items`. */
@Doc('A page of a list, by cursor')
export class CursorPage {
  @Doc('Pass as `cursor` for the next page; null on the last page') @Nullable() @IsString() nextCursor: string | null;
}
