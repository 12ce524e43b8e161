import type { EventOutbox } from '@tessera/persistence';
import type { DataSource, EntityManager } from 'typeorm';
import { Provider } from '../providers/provider.entity.js';
import { OutboundToken } from './outbound-token.entity.js';

/*
 * The SQL of the outbound token aggregate beyond its entity: leases (docs/decisions/0017) and refresh results stored in
 * one statement per batch. Used by refresh/ (the scheduler and the refresher) and by tokens/ (a revocation takes a
 * token over).
 */

/**
 * A lease outlives the provider call it covers by this much: time to store the answer. The call itself is cut off at
 * its timeout, so a lease only runs out under a holder that died (or stalled for longer than this).
 */
const LEASE_MARGIN_MS = 2_000;

/** SQL for a lease's end, from the database's clock (replicas' clocks may disagree; the database's is the one they share). */
const leaseUntil = (ceilingParam: string) =>
  `now() + make_interval(secs => (LEAST(p."timeout_seconds" * 1000, ${ceilingParam}) + ${LEASE_MARGIN_MS}) / 1000.0)`;

const rowsOf = (result: unknown) => (Array.isArray(result) && Array.isArray(result[0]) ? result[0] : result) as { id: string }[];

/**
 * Claims one token for a refresh (or a revocation): one committed UPDATE, so no connection is held while the provider
 * is called. Fails while another claim stands; one that ran out (its holder died) is taken over, and `takeOver` (a
 * revocation) takes over a standing one too.
 */
export async function claimToken(
  dataSource: DataSource,
  tokenId: string,
  leaseId: string,
  ceilingMs: number,
  options: { takeOver?: boolean } = {},
): Promise<boolean> {
  const free = options.takeOver ? '' : ` AND (t."lease_until" IS NULL OR t."lease_until" <= now())`;
  const rows = rowsOf(
    await dataSource.query(
      `UPDATE "broker"."outbound_token" AS t SET "lease_id" = $2, "lease_until" = ${leaseUntil('$3')}
       FROM "broker"."provider" AS p
      WHERE t."id" = $1 AND p."id" = t."provider_id"${free}
      RETURNING t."id"`,
      [tokenId, leaseId, ceilingMs],
    ),
  );
  return rows.length === 1;
}

/**
 * Claims up to `limit` due tokens for the scheduler, provider by provider, each provider getting no more than
 * `perProvider` leases in force across all replicas: a provider that hangs keeps its own slots busy and nobody
 * else's, and its backlog of due tokens cannot hide another provider's. SKIP LOCKED lets replicas claim side by side.
 */
export async function claimDueTokens(
  dataSource: DataSource,
  options: { now: Date; limit: number; perProvider: number; leaseId: string; ceilingMs: number },
): Promise<string[]> {
  const rows = rowsOf(
    await dataSource.query(
      `WITH chosen AS (
       SELECT c."id" FROM "broker"."provider" AS p
       CROSS JOIN LATERAL (SELECT count(*)::int AS n FROM "broker"."outbound_token" AS l
                            WHERE l."provider_id" = p."id" AND l."lease_until" > now()) AS busy
       CROSS JOIN LATERAL (SELECT t."id", t."next_refresh_at" FROM "broker"."outbound_token" AS t
                            WHERE t."provider_id" = p."id" AND t."next_refresh_at" <= $1 AND t."active"
                              AND (t."lease_until" IS NULL OR t."lease_until" <= now())
                            ORDER BY t."next_refresh_at" LIMIT GREATEST($3 - busy.n, 0) FOR UPDATE SKIP LOCKED) AS c
       ORDER BY c."next_refresh_at" LIMIT $2)
     UPDATE "broker"."outbound_token" AS t SET "lease_id" = $4, "lease_until" = ${leaseUntil('$5')}
       FROM chosen, "broker"."provider" AS p
      WHERE t."id" = chosen."id" AND p."id" = t."provider_id"
      RETURNING t."id"`,
      [options.now, options.limit, options.perProvider, options.leaseId, options.ceilingMs],
    ),
  );
  return rows.map((r) => r.id);
}

/** Gives claims back without a result (nothing was needed, or the attempt broke): only where the claim is still ours. */
export async function releaseLeases(dataSource: DataSource, tokenIds: string[], leaseId: string): Promise<void> {
  if (!tokenIds.length) return;
  await dataSource.query(`UPDATE "broker"."outbound_token" SET "lease_id" = NULL, "lease_until" = NULL WHERE "id" = ANY($1::uuid[]) AND "lease_id" = $2`, [
    tokenIds,
    leaseId,
  ]);
}

/** Tokens with their providers, in one round trip. */
export async function loadWithProviders(manager: EntityManager, ids: string[]): Promise<{ token: OutboundToken; provider: Provider }[]> {
  if (!ids.length) return [];
  const rows = await manager
    .createQueryBuilder(OutboundToken, 't')
    .innerJoinAndMapOne('t.provider', Provider, 'p', 'p.id = t.providerId')
    .where('t.id IN (:...ids)', { ids })
    .getMany();
  return rows.map((row) => {
    const { provider, ...fields } = row as OutboundToken & { provider: Provider };
    return { token: Object.assign(new OutboundToken(), fields), provider };
  });
}

/** A refresh attempt's result — the token with its new state, and the events to record with it — and the claim it was made under. */
export interface LeasedAttempt {
  attempt: { token: OutboundToken; events: { type: string; data: object }[] };
  leaseId: string;
}

/**
 * Stores the outcome of refresh attempts — every changed column of every token in one UPDATE that also ends their
 * leases, and their events through the outbox — in one transaction. A row is written only while the lease it was
 * claimed under is still its own (a fence: a holder that outlived its lease cannot overwrite its successor's result),
 * and a token deactivated meanwhile keeps its state. Returns the ids stored.
 */
export async function persistAttempts(manager: EntityManager, outbox: EventOutbox, items: LeasedAttempt[]): Promise<Set<string>> {
  if (!items.length) return new Set();
  const column = <T>(pick: (t: OutboundToken) => T) => items.map((i) => pick(i.attempt.token));
  return manager.transaction(async (tx) => {
    const result: unknown = await tx.query(
      `UPDATE "broker"."outbound_token" AS t SET
         "access_token_sealed" = v.ats, "refresh_token_sealed" = v.rts, "token_type" = v.tt, "scope" = v.sc, "expires_at" = v.ea,
         "last_refreshed_at" = v.lra, "next_refresh_at" = v.nra, "state" = CASE WHEN t."active" THEN v.st ELSE t."state" END, "last_message" = v.lm,
         "consecutive_failures" = v.cf, "last_transient_error" = v.lte, "lease_id" = NULL, "lease_until" = NULL, "updated_at" = now()
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::timestamptz[], $8::timestamptz[],
                   $9::text[], $10::text[], $11::int[], $12::text[], $13::uuid[]) AS v(id, ats, rts, tt, sc, ea, lra, nra, st, lm, cf, lte, lid)
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
