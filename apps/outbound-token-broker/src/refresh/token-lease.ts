import type { DataSource } from 'typeorm';

/**
 * A lease outlives the provider call it covers by this much: time to store the answer. The call itself is cut off at
 * its timeout, so a lease only runs out under a holder that died (or stalled for longer than this).
 */
export const LEASE_MARGIN_MS = 2_000;

/** How long one call to a provider may take: its own timeoutSeconds, never more than the platform's ceiling. */
export function providerCallTimeoutMs(timeoutSeconds: number, ceilingMs: number): number {
  return Math.min(timeoutSeconds * 1000, ceilingMs);
}

/** SQL for a lease's end, from the database's clock (replicas' clocks may disagree; the database's is the one they share). */
const leaseUntil = (ceilingParam: string) =>
  `now() + make_interval(secs => (LEAST(p."timeout_seconds" * 1000, ${ceilingParam}) + ${LEASE_MARGIN_MS}) / 1000.0)`;

const rowsOf = (result: unknown) => (Array.isArray(result) && Array.isArray(result[0]) ? result[0] : result) as { id: string }[];

/**
 * Claims one token for a refresh (or a revocation): one committed UPDATE, so no connection is held while the provider
 * is called. Fails while another claim stands; one that ran out (its holder died) is taken over, and `takeOver` (a
 * revocation) takes over a standing one too.
 */
export async function claimToken(dataSource: DataSource, tokenId: string, leaseId: string, ceilingMs: number, options: { takeOver?: boolean } = {}): Promise<boolean> {
  const free = options.takeOver ? '' : ` AND (t."lease_until" IS NULL OR t."lease_until" <= now())`;
  const rows = rowsOf(await dataSource.query(
    `UPDATE "broker"."outbound_token" AS t SET "lease_id" = $2, "lease_until" = ${leaseUntil('$3')}
       FROM "broker"."provider" AS p
      WHERE t."id" = $1 AND p."id" = t."provider_id"${free}
      RETURNING t."id"`,
    [tokenId, leaseId, ceilingMs],
  ));
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
  const rows = rowsOf(await dataSource.query(
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
  ));
  return rows.map((r) => r.id);
}

/** Gives claims back without a result (nothing was needed, or the attempt broke): only where the claim is still ours. */
export async function releaseLeases(dataSource: DataSource, tokenIds: string[], leaseId: string): Promise<void> {
  if (!tokenIds.length) return;
  await dataSource.query(
    `UPDATE "broker"."outbound_token" SET "lease_id" = NULL, "lease_until" = NULL WHERE "id" = ANY($1::uuid[]) AND "lease_id" = $2`,
    [tokenIds, leaseId],
  );
}
