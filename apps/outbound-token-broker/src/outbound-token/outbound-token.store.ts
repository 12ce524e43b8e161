import { Inject, Injectable, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { TokenState } from '@tessera/contracts';
import type { EventOutbox, Transaction } from '@tessera/persistence';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Provider } from '../providers/provider.entity.js';
import { OutboundToken } from './outbound-token.entity.js';

/**
 * A lease outlives the provider call it covers by this much: time to store the answer. The call itself is cut off at
 * its timeout, so a lease only runs out under a holder that died (or stalled for longer than this).
 */
const LEASE_MARGIN_MS = 2_000;

/** SQL for a lease's end, from the database's clock (replicas' clocks may disagree; the database's is the one they share). */
const leaseUntil = (ceilingParam: string) =>
  `now() + make_interval(secs => (LEAST(p."timeout_seconds" * 1000, ${ceilingParam}) + ${LEASE_MARGIN_MS}) / 1000.0)`;

/**
 * A lease is in force while it has not run out and its holder (a broker process) is alive: a holder that died — a
 * crash, a kill -9 — is taken over as soon as its heartbeat lapses, not when its longest possible call would have
 * ended. To its own holder a lease is always in force (however late its beats, it never claims a token twice), and a
 * lease without a holder (taken before holders were recorded) lasts its time. `l` is the token's alias.
 */
const leaseInForce = (l: string, holderParam: string) =>
  `(COALESCE(${l}."lease_until" > now(), false) AND (${l}."lease_holder" IS NULL OR ${l}."lease_holder" = ${holderParam} OR EXISTS (SELECT 1 FROM "broker"."lease_holder" AS h WHERE h."id" = ${l}."lease_holder" AND h."alive_until" > now())))`;

/**
 * The holder's heartbeat, as a CTE of the statement that takes a lease: a holder is alive from its first claim on, so
 * its own next claim can never mistake a lease it just took for a dead holder's (also after an outage stopped beats).
 */
const aliveHolder = (holderParam: string, aliveMs: number) =>
  `alive AS (INSERT INTO "broker"."lease_holder" ("id", "alive_until") VALUES (${holderParam}, now() + interval '${aliveMs} milliseconds')
     ON CONFLICT ("id") DO UPDATE SET "alive_until" = GREATEST("broker"."lease_holder"."alive_until", EXCLUDED."alive_until"))`;

/** How long a holder counts as alive after its last beat or claim; it beats every second (LeaseHeartbeat). */
const HOLDER_ALIVE_MS = 3_000;

/** Which process a store's leases are taken for (one per broker process; a replacement gets a new one). */
export const LEASE_HOLDER = Symbol('LeaseHolder');

const rowsOf = (result: unknown) => (Array.isArray(result) && Array.isArray(result[0]) ? result[0] : result) as { id: string }[];

/** A refresh attempt's result — the token with its new state, and the events to record with it — and the claim it was made under. */
export interface LeasedAttempt {
  attempt: { token: OutboundToken; events: { type: string; data: object }[] };
  leaseId: string;
}

/** What a revocation leaves of a token: no tokens, no schedule, no lease. */
export interface Revocation {
  state: TokenState;
  lastMessage: string | null;
}

/**
 * Where outbound tokens are kept, in the broker's words (ADR 0032): the token records, and their leases
 * (docs/decisions/0017) and refresh results stored in one statement per batch. Used by refresh/ (the scheduler and
 * the refresher), by tokens/ (a revocation takes a token over) and by providers/ (a provider's change reaches its
 * tokens). Changes that go with an event or an audit line take the caller's transaction.
 */
export abstract class OutboundTokenStore {
  /**
   * Claims one token for a refresh (or a revocation): one committed UPDATE, so no connection is held while the
   * provider is called. Fails while another claim stands; one that ran out (its holder died) is taken over, and
   * `takeOver` (a revocation) takes over a standing one too.
   */
  abstract claim(tokenId: string, leaseId: string, ceilingMs: number, options?: { takeOver?: boolean }): Promise<boolean>;
  /** Claims up to `limit` due tokens for the scheduler, at most `perProvider` leases in force per provider. */
  abstract claimDue(options: { now: Date; limit: number; perProvider: number; leaseId: string; ceilingMs: number }): Promise<string[]>;
  /** This process's leases stay in force for HOLDER_ALIVE_MS more (the database's clock); called every second. */
  abstract beat(): Promise<void>;
  /** Gives claims back without a result: only where the claim is still ours. */
  abstract releaseLeases(tokenIds: string[], leaseId: string): Promise<void>;
  /** Tokens with their providers, in one round trip. */
  abstract loadWithProviders(ids: string[]): Promise<{ token: OutboundToken; provider: Provider }[]>;
  /** Stores refresh results and their events in one transaction, each only under the lease it was claimed with; answers the ids stored. */
  abstract storeAttempts(outbox: EventOutbox, items: LeasedAttempt[]): Promise<Set<string>>;

  /** Stores a new token and answers it as stored (with the database's defaults and timestamps). */
  abstract insert(tx: Transaction, token: OutboundToken): Promise<OutboundToken>;
  abstract save(tx: Transaction, token: OutboundToken): Promise<OutboundToken>;
  abstract delete(tx: Transaction, id: string): Promise<void>;
  /** Forgets a token's tokens, schedule and lease, in the state given. */
  abstract revoke(tx: Transaction, id: string, revocation: Revocation): Promise<void>;
  /** The tokens of a provider, for a change of the provider that reaches them. */
  abstract ofProvider(tx: Transaction, providerId: string): Promise<OutboundToken[]>;
  abstract countOfProvider(providerId: string): Promise<number>;
  abstract get(id: string): Promise<OutboundToken | null>;
  abstract byName(name: string): Promise<OutboundToken | null>;
  /** Why the last authorization did not complete, for the admin to see. */
  abstract setLastMessage(id: string, message: string): Promise<void>;
  /** A page ordered by name, filtered by the state shown at `now` (not the stored one: an expired token is listed as expired). */
  abstract page(options: { limit: number; offset: number; state?: TokenState; now: Date }): Promise<{ items: OutboundToken[]; total: number }>;
  /** How many tokens are in each stored state. */
  abstract countByState(): Promise<{ state: string; count: number }[]>;
  /** When the soonest active token with an expiry expires. */
  abstract soonestExpiry(): Promise<Date | null>;
}

/** Outbound tokens in the broker's Postgres schema. */
@Injectable()
export class SqlOutboundTokenStore extends OutboundTokenStore {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Optional() @Inject(LEASE_HOLDER) private readonly holder: string = randomUUID(),
  ) {
    super();
  }

  async beat(): Promise<void> {
    await this.dataSource.query(`WITH ${aliveHolder('$1::uuid', HOLDER_ALIVE_MS)} SELECT 1`, [this.holder]);
    // Holders gone for a minute are of no more use to anyone's claim.
    await this.dataSource.query(`DELETE FROM "broker"."lease_holder" WHERE "alive_until" < now() - interval '1 minute'`);
  }

  /**
   * Claims one token for a refresh (or a revocation): one committed UPDATE, so no connection is held while the provider
   * is called. Fails while another claim stands; one that ran out (its holder died) is taken over, and `takeOver` (a
   * revocation) takes over a standing one too.
   */
  async claim(tokenId: string, leaseId: string, ceilingMs: number, options: { takeOver?: boolean } = {}): Promise<boolean> {
    const free = options.takeOver ? '' : ` AND NOT ${leaseInForce('t', '$4::uuid')}`;
    const rows = rowsOf(
      await this.dataSource.query(
        `WITH ${aliveHolder('$4::uuid', HOLDER_ALIVE_MS)}
     UPDATE "broker"."outbound_token" AS t SET "lease_id" = $2, "lease_until" = ${leaseUntil('$3')}, "lease_holder" = $4
       FROM "broker"."provider" AS p
      WHERE t."id" = $1 AND p."id" = t."provider_id"${free}
      RETURNING t."id"`,
        [tokenId, leaseId, ceilingMs, this.holder],
      ),
    );
    return rows.length === 1;
  }

  /**
   * Claims up to `limit` due tokens for the scheduler, provider by provider, each provider getting no more than
   * `perProvider` leases in force across all replicas: a provider that hangs keeps its own slots busy and nobody
   * else's, and its backlog of due tokens cannot hide another provider's. SKIP LOCKED lets replicas claim side by side.
   */
  async claimDue(options: { now: Date; limit: number; perProvider: number; leaseId: string; ceilingMs: number }): Promise<string[]> {
    const rows = rowsOf(
      await this.dataSource.query(
        `WITH ${aliveHolder('$6::uuid', HOLDER_ALIVE_MS)}, chosen AS (
       SELECT c."id" FROM "broker"."provider" AS p
       CROSS JOIN LATERAL (SELECT count(*)::int AS n FROM "broker"."outbound_token" AS l
                            WHERE l."provider_id" = p."id" AND ${leaseInForce('l', '$6::uuid')}) AS busy
       CROSS JOIN LATERAL (SELECT t."id", t."next_refresh_at" FROM "broker"."outbound_token" AS t
                            WHERE t."provider_id" = p."id" AND t."next_refresh_at" <= $1 AND t."active"
                              AND NOT ${leaseInForce('t', '$6::uuid')}
                            ORDER BY t."next_refresh_at" LIMIT GREATEST($3 - busy.n, 0) FOR UPDATE SKIP LOCKED) AS c
       ORDER BY c."next_refresh_at" LIMIT $2)
     UPDATE "broker"."outbound_token" AS t SET "lease_id" = $4, "lease_until" = ${leaseUntil('$5')}, "lease_holder" = $6
       FROM chosen, "broker"."provider" AS p
      WHERE t."id" = chosen."id" AND p."id" = t."provider_id"
      RETURNING t."id"`,
        [options.now, options.limit, options.perProvider, options.leaseId, options.ceilingMs, this.holder],
      ),
    );
    return rows.map((r) => r.id);
  }

  /** Gives claims back without a result (nothing was needed, or the attempt broke): only where the claim is still ours. */
  async releaseLeases(tokenIds: string[], leaseId: string): Promise<void> {
    if (!tokenIds.length) return;
    await this.dataSource.query(
      `UPDATE "broker"."outbound_token" SET "lease_id" = NULL, "lease_until" = NULL, "lease_holder" = NULL WHERE "id" = ANY($1::uuid[]) AND "lease_id" = $2`,
      [tokenIds, leaseId],
    );
  }

  /** Tokens with their providers, in one round trip. */
  async loadWithProviders(ids: string[]): Promise<{ token: OutboundToken; provider: Provider }[]> {
    if (!ids.length) return [];
    const rows = await this.dataSource.manager
      .createQueryBuilder(OutboundToken, 't')
      .innerJoinAndMapOne('t.provider', Provider, 'p', 'p.id = t.providerId')
      .where('t.id IN (:...ids)', { ids })
      .getMany();
    return rows.map((row) => {
      const { provider, ...fields } = row as OutboundToken & { provider: Provider };
      return { token: Object.assign(new OutboundToken(), fields), provider };
    });
  }

  /**
   * Stores the outcome of refresh attempts — every changed column of every token in one UPDATE that also ends their
   * leases, and their events through the outbox — in one transaction. A row is written only while the lease it was
   * claimed under is still its own (a fence: a holder that outlived its lease cannot overwrite its successor's result),
   * and a token deactivated meanwhile keeps its state. Returns the ids stored.
   */
  async storeAttempts(outbox: EventOutbox, items: LeasedAttempt[]): Promise<Set<string>> {
    if (!items.length) return new Set();
    const column = <T>(pick: (t: OutboundToken) => T) => items.map((i) => pick(i.attempt.token));
    return this.dataSource.transaction(async (tx) => {
      const result: unknown = await tx.query(
        `UPDATE "broker"."outbound_token" AS t SET
         "access_token_sealed" = v.ats, "refresh_token_sealed" = v.rts, "token_type" = v.tt, "scope" = v.sc, "expires_at" = v.ea,
         "last_refreshed_at" = v.lra, "next_refresh_at" = v.nra, "state" = CASE WHEN t."active" THEN v.st ELSE t."state" END, "last_message" = v.lm,
         "consecutive_failures" = v.cf, "last_transient_error" = v.lte, "response_values" = v.rv::jsonb, "lease_id" = NULL, "lease_until" = NULL, "lease_holder" = NULL, "updated_at" = now()
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::timestamptz[], $8::timestamptz[],
                   $9::text[], $10::text[], $11::int[], $12::text[], $13::text[], $14::uuid[]) AS v(id, ats, rts, tt, sc, ea, lra, nra, st, lm, cf, lte, rv, lid)
       WHERE t."id" = v.id AND t."lease_id" = v.lid
       RETURNING t."id"`,
        [
          column((t) => t.id),
          column((t) => t.accessTokenSealed),
          column((t) => t.refreshTokenSealed),
          column((t) => t.tokenType),
          column((t) => t.scope),
          column((t) => t.expiresAt),
          column((t) => t.lastRefreshedAt),
          column((t) => t.nextRefreshAt),
          column((t) => t.state),
          column((t) => t.lastMessage),
          column((t) => t.consecutiveFailures),
          column((t) => t.lastTransientError),
          column((t) => JSON.stringify(t.responseValues ?? {})),
          items.map((i) => i.leaseId),
        ],
      );
      const rows = (Array.isArray(result) && Array.isArray(result[0]) ? result[0] : result) as { id: string }[];
      const stored = new Set(rows.map((r) => r.id));
      await outbox.recordMany(
        tx,
        items.filter(({ attempt }) => stored.has(attempt.token.id)).flatMap(({ attempt }) => attempt.events),
      );
      return stored;
    });
  }

  async insert(tx: Transaction, token: OutboundToken): Promise<OutboundToken> {
    await tx.getRepository(OutboundToken).insert(token);
    return tx.findOneByOrFail(OutboundToken, { id: token.id });
  }

  save(tx: Transaction, token: OutboundToken): Promise<OutboundToken> {
    return tx.getRepository(OutboundToken).save(token);
  }

  async delete(tx: Transaction, id: string): Promise<void> {
    await tx.getRepository(OutboundToken).delete({ id });
  }

  async revoke(tx: Transaction, id: string, revocation: Revocation): Promise<void> {
    await tx.update(
      OutboundToken,
      { id },
      {
        state: revocation.state,
        lastMessage: revocation.lastMessage,
        accessTokenSealed: null,
        refreshTokenSealed: null,
        expiresAt: null,
        nextRefreshAt: null,
        scope: null,
        responseValues: {},
        leaseId: null,
        leaseUntil: null,
        leaseHolder: null,
      },
    );
  }

  ofProvider(tx: Transaction, providerId: string): Promise<OutboundToken[]> {
    return tx.findBy(OutboundToken, { providerId });
  }

  countOfProvider(providerId: string): Promise<number> {
    return this.dataSource.getRepository(OutboundToken).countBy({ providerId });
  }

  get(id: string): Promise<OutboundToken | null> {
    return this.dataSource.getRepository(OutboundToken).findOneBy({ id });
  }

  byName(name: string): Promise<OutboundToken | null> {
    return this.dataSource.getRepository(OutboundToken).findOneBy({ name });
  }

  async setLastMessage(id: string, message: string): Promise<void> {
    await this.dataSource.getRepository(OutboundToken).update({ id }, { lastMessage: message });
  }

  async page(options: { limit: number; offset: number; state?: TokenState; now: Date }): Promise<{ items: OutboundToken[]; total: number }> {
    const { limit, offset, state, now } = options;
    const query = this.dataSource.getRepository(OutboundToken).createQueryBuilder('t').orderBy('t.name', 'ASC').take(limit).skip(offset);
    if (state) {
      // The displayed state (see displayedState): a token past its expiry, or being refreshed, reads so whatever is stored.
      const usable = `(t.accessTokenSealed IS NOT NULL AND (t.expiresAt IS NULL OR t.expiresAt > :now))`;
      const leased = `(t.leaseUntil IS NOT NULL AND t.leaseUntil > :now)`;
      const where =
        state === 'valid'
          ? `t.state IN ('valid', 'expired', 'refreshing') AND ${usable}`
          : state === 'refreshing'
            ? `t.state IN ('valid', 'expired', 'refreshing') AND NOT ${usable} AND ${leased}`
            : state === 'expired'
              ? `t.state IN ('valid', 'expired', 'refreshing') AND NOT ${usable} AND NOT ${leased}`
              : 't.state = :state';
      query.where(where, { now, state });
    }
    const [items, total] = await query.getManyAndCount();
    return { items, total };
  }

  countByState(): Promise<{ state: string; count: number }[]> {
    return this.dataSource.query('SELECT "state", count(*)::int AS "count" FROM "broker"."outbound_token" GROUP BY "state"');
  }

  async soonestExpiry(): Promise<Date | null> {
    const [row]: { soonest: Date | null }[] = await this.dataSource.query(
      `SELECT min("expires_at") AS "soonest" FROM "broker"."outbound_token" WHERE "active" AND "expires_at" IS NOT NULL AND "state" IN ('valid', 'refreshing', 'expired')`,
    );
    return row?.soonest ? new Date(row.soonest) : null;
  }
}
