import { REPLAY_PAGE_SIZE, type ReplayedEventPage, type ReplayEventsQuery } from '@tessera/contracts';
import type { DataSource } from 'typeorm';

/**
 * The service's published events again, by stream sequence, for a consumer that fell behind the stream's retention
 * (ADR 0038). Only what this service published is in its outbox, so it can answer for its own subjects only; what
 * the pruner has removed (TESSERA_OUTBOX_RETENTION_HOURS) cannot be replayed.
 */
export class OutboxReplay {
  constructor(private readonly dataSource: DataSource) {}

  async replay(query: ReplayEventsQuery): Promise<ReplayedEventPage> {
    const limit = Math.min(query.limit ?? REPLAY_PAGE_SIZE, REPLAY_PAGE_SIZE);
    const table = `"${(this.dataSource.options as { schema?: string }).schema ?? 'public'}"."outbox_event"`;
    const rows: {
      id: string;
      type: string;
      data: Record<string, unknown>;
      headers: Record<string, string>;
      occurred_at: Date;
      published_at: Date;
      seq: string;
    }[] = await this.dataSource.query(
      `SELECT "id", "type", "data", "headers", "occurred_at", "published_at", "stream_sequence" AS seq FROM ${table}
          WHERE "type" = $1 AND "stream_sequence" > $2 AND "stream_sequence" < $3 ORDER BY "stream_sequence" LIMIT $4`,
      [query.subject, query.afterSequence, query.beforeSequence, limit + 1],
    );
    return {
      events: rows.slice(0, limit).map((row) => ({
        id: row.id,
        type: row.type,
        occurredAt: new Date(row.occurred_at).toISOString(),
        data: row.data,
        headers: row.headers,
        sequence: Number(row.seq),
        publishedAt: new Date(row.published_at).toISOString(),
      })),
      more: rows.length > limit,
    };
  }
}
