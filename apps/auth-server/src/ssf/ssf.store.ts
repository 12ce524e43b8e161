import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Transaction } from '@tessera/persistence';
import { DataSource, In, Not, type QueryDeepPartialEntity } from 'typeorm';
import { SsfPendingSet, SsfStream, SsfSubject } from './ssf-stream.entity.js';

/** A stream with what an administrator wants to know of its subjects and waiting SETs. */
export interface SsfStreamSummary {
  stream: SsfStream;
  subjects: number;
  pending: number;
  oldestPendingAt: Date | null;
  lastPushError: string | null;
}

/** The Shared Signals transmitter's streams, subjects and undelivered SETs, in its words (ADR 0032). */
export abstract class SsfStore {
  abstract insertStream(tx: Transaction, stream: SsfStream): Promise<void>;
  abstract saveStream(tx: Transaction, stream: SsfStream): Promise<void>;
  abstract deleteStream(tx: Transaction, id: string): Promise<void>;
  /** The receiver's stream, or null: a stream of another receiver is as good as absent. */
  abstract streamOf(receiver: string, id: string, tx?: Transaction): Promise<SsfStream | null>;
  abstract streamsOf(receiver: string): Promise<SsfStream[]>;
  /** Every receiver's streams (or one receiver's), newest first, at most `limit`, with their counts. */
  abstract summaries(receiver: string | undefined, limit: number): Promise<SsfStreamSummary[]>;
  abstract addSubject(tx: Transaction, subject: SsfSubject): Promise<void>;
  /** False when the stream did not hold that subject. */
  abstract removeSubject(tx: Transaction, streamId: string, key: string): Promise<boolean>;
  /** The streams not disabled holding a subject all of whose keys are among these (an event's subject keys). */
  abstract streamsFor(tx: Transaction, keys: string[]): Promise<SsfStream[]>;
  abstract enqueue(tx: Transaction, sets: SsfPendingSet[]): Promise<void>;
  abstract dropPending(tx: Transaction, streamId: string): Promise<void>;
  /** Deletes the stream's SETs named (acknowledged or refused by the receiver), answering when each deleted one was queued. */
  abstract remove(streamId: string, jtis: string[]): Promise<Date[]>;
  /** The stream's oldest SETs, at most `limit`, and whether more wait. */
  abstract pending(streamId: string, limit: number): Promise<{ sets: SsfPendingSet[]; more: boolean }>;
  /**
   * Push SETs due now, claimed for `leaseMs` (their next attempt moved past it) so another replica does not send
   * them too; with the stream each belongs to.
   */
  /**
   * Notes a verification request now unless the stream had one within `intervalMs`: null when noted, otherwise when
   * the last one was. One statement, so two requests at once cannot both pass.
   */
  abstract noteVerification(tx: Transaction, streamId: string, now: Date, intervalMs: number): Promise<Date | null>;
  abstract claimDuePushes(now: Date, leaseMs: number, limit: number): Promise<{ set: SsfPendingSet; stream: SsfStream }[]>;
  abstract delivered(jti: string): Promise<void>;
  abstract failed(jti: string, nextAttemptAt: Date, error: string): Promise<void>;
}

@Injectable()
export class SqlSsfStore extends SsfStore {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    super();
  }

  async insertStream(tx: Transaction, stream: SsfStream): Promise<void> {
    await tx.insert(SsfStream, stream);
  }

  async saveStream(tx: Transaction, stream: SsfStream): Promise<void> {
    await tx.update(SsfStream, { id: stream.id }, stream);
  }

  async deleteStream(tx: Transaction, id: string): Promise<void> {
    await tx.delete(SsfStream, { id });
  }

  streamOf(receiver: string, id: string, tx?: Transaction): Promise<SsfStream | null> {
    return (tx ?? this.dataSource.manager).findOneBy(SsfStream, { id, receiver });
  }

  streamsOf(receiver: string): Promise<SsfStream[]> {
    return this.dataSource.manager.find(SsfStream, { where: { receiver }, order: { createdAt: 'ASC' } });
  }

  async summaries(receiver: string | undefined, limit: number): Promise<SsfStreamSummary[]> {
    const streams = await this.dataSource.manager.find(SsfStream, {
      where: receiver === undefined ? {} : { receiver },
      order: { createdAt: 'DESC', id: 'ASC' },
      take: limit,
    });
    if (!streams.length) return [];
    const ids = streams.map((s) => s.id);
    // The latest failure is the waiting SET retried last: its next attempt is the furthest off.
    const rows: { id: string; subjects: string; pending: string; oldest: Date | null; last_error: string | null }[] = await this.dataSource.query(
      `SELECT s."id",
              (SELECT count(*) FROM "auth"."ssf_subject" sub WHERE sub."stream_id" = s."id") AS "subjects",
              (SELECT count(*) FROM "auth"."ssf_pending_set" p WHERE p."stream_id" = s."id") AS "pending",
              (SELECT min(p."created_at") FROM "auth"."ssf_pending_set" p WHERE p."stream_id" = s."id") AS "oldest",
              (SELECT p."last_error" FROM "auth"."ssf_pending_set" p WHERE p."stream_id" = s."id" AND p."last_error" IS NOT NULL
                ORDER BY p."next_attempt_at" DESC LIMIT 1) AS "last_error"
         FROM unnest($1::uuid[]) AS s("id")`,
      [ids],
    );
    const byId = new Map(rows.map((row) => [row.id, row]));
    return streams.map((stream) => {
      const row = byId.get(stream.id);
      return {
        stream,
        subjects: Number(row?.subjects ?? 0),
        pending: Number(row?.pending ?? 0),
        oldestPendingAt: row?.oldest ? new Date(row.oldest) : null,
        lastPushError: row?.last_error ?? null,
      };
    });
  }

  async noteVerification(tx: Transaction, streamId: string, now: Date, intervalMs: number): Promise<Date | null> {
    const [noted]: [{ id: string }[], number] = await tx.query(
      `UPDATE auth.ssf_stream SET last_verification_at = $2
       WHERE id = $1 AND (last_verification_at IS NULL OR last_verification_at <= $3) RETURNING id`,
      [streamId, now, new Date(now.getTime() - intervalMs)],
    );
    if (noted.length) return null;
    const [row]: { last: Date }[] = await tx.query(`SELECT last_verification_at AS last FROM auth.ssf_stream WHERE id = $1`, [streamId]);
    return row ? new Date(row.last) : now;
  }

  async addSubject(tx: Transaction, subject: SsfSubject): Promise<void> {
    // The subject is JSON for the column, whatever its TypeScript shape.
    await tx.upsert(SsfSubject, subject as QueryDeepPartialEntity<SsfSubject>, ['streamId', 'key']);
  }

  async removeSubject(tx: Transaction, streamId: string, key: string): Promise<boolean> {
    return ((await tx.delete(SsfSubject, { streamId, key })).affected ?? 0) > 0;
  }

  async streamsFor(tx: Transaction, keys: string[]): Promise<SsfStream[]> {
    if (!keys.length) return [];
    // A subject's key lists its parts (`a|b`, a complex subject): the event must carry every one of them.
    const subjects: { stream_id: string }[] = await tx.query(
      `SELECT DISTINCT "stream_id" FROM "auth"."ssf_subject"
        WHERE split_part("key", '|', 1) = ANY($1::text[]) AND string_to_array("key", '|') <@ $1::text[]`,
      [keys],
    );
    const ids = subjects.map((s) => s.stream_id);
    if (!ids.length) return [];
    return tx.find(SsfStream, { where: { id: In(ids), status: Not('disabled' as const) } });
  }

  async enqueue(tx: Transaction, sets: SsfPendingSet[]): Promise<void> {
    if (sets.length) await tx.insert(SsfPendingSet, sets as QueryDeepPartialEntity<SsfPendingSet>[]);
  }

  async dropPending(tx: Transaction, streamId: string): Promise<void> {
    await tx.delete(SsfPendingSet, { streamId });
  }

  async remove(streamId: string, jtis: string[]): Promise<Date[]> {
    // Only well-formed ids reach the uuid column: a receiver's typo must not fail its whole poll.
    const ids = jtis.filter((jti) => /^[0-9a-f-]{36}$/i.test(jti));
    if (!ids.length) return [];
    const [rows]: [{ created_at: Date }[], number] = await this.dataSource.query(
      `DELETE FROM "auth"."ssf_pending_set" WHERE "stream_id" = $1 AND "jti" = ANY($2::uuid[]) RETURNING "created_at"`,
      [streamId, ids],
    );
    return rows.map((row) => new Date(row.created_at));
  }

  async pending(streamId: string, limit: number): Promise<{ sets: SsfPendingSet[]; more: boolean }> {
    const rows = await this.dataSource.manager.find(SsfPendingSet, { where: { streamId }, order: { createdAt: 'ASC', jti: 'ASC' }, take: limit + 1 });
    return { sets: rows.slice(0, limit), more: rows.length > limit };
  }

  async claimDuePushes(now: Date, leaseMs: number, limit: number): Promise<{ set: SsfPendingSet; stream: SsfStream }[]> {
    return this.dataSource.transaction(async (tx) => {
      const rows: { jti: string }[] = await tx.query(
        `SELECT p."jti" FROM "auth"."ssf_pending_set" p JOIN "auth"."ssf_stream" s ON s."id" = p."stream_id"
          WHERE s."status" = 'enabled' AND s."delivery_method" = 'urn:ietf:rfc:8935' AND p."next_attempt_at" <= $1
          ORDER BY p."created_at" LIMIT $2 FOR UPDATE OF p SKIP LOCKED`,
        [now, limit],
      );
      if (!rows.length) return [];
      const jtis = rows.map((r) => r.jti);
      await tx.update(SsfPendingSet, { jti: In(jtis) }, { nextAttemptAt: new Date(now.getTime() + leaseMs) });
      const sets = await tx.find(SsfPendingSet, { where: { jti: In(jtis) }, order: { createdAt: 'ASC' } });
      const streams = await tx.find(SsfStream, { where: { id: In([...new Set(sets.map((s) => s.streamId))]) } });
      const byId = new Map(streams.map((s) => [s.id, s]));
      return sets.map((set) => ({ set, stream: byId.get(set.streamId)! }));
    });
  }

  async delivered(jti: string): Promise<void> {
    await this.dataSource.manager.delete(SsfPendingSet, { jti });
  }

  async failed(jti: string, nextAttemptAt: Date, error: string): Promise<void> {
    await this.dataSource.manager.increment(SsfPendingSet, { jti }, 'attempts', 1);
    await this.dataSource.manager.update(SsfPendingSet, { jti }, { nextAttemptAt, lastError: error.slice(0, 500) });
  }
}
