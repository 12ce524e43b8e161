import type { EventOutbox } from '@tessera/persistence';
import type { EntityManager } from 'typeorm';
import { Provider } from '../providers/provider.entity.js';
import { OutboundToken } from '../outbound-token/outbound-token.entity.js';
import type { AttemptResult } from './refresh-attempt.js';

/** Tokens with their providers, in one round trip. */
export async function loadWithProviders(manager: EntityManager, ids: string[]): Promise<{ token: OutboundToken; provider: Provider }[]> {
  if (!ids.length) return [];
  const rows = await manager.createQueryBuilder(OutboundToken, 't')
    .innerJoinAndMapOne('t.provider', Provider, 'p', 'p.id = t.providerId')
    .where('t.id IN (:...ids)', { ids })
    .getMany();
  return rows.map((row) => {
    const { provider, ...fields } = row as OutboundToken & { provider: Provider };
    return { token: Object.assign(new OutboundToken(), fields), provider };
  });
}

/** An attempt's result with the claim it was made under. */
export interface LeasedAttempt {
  attempt: AttemptResult;
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
        column((t) => t.id), column((t) => t.accessTokenSealed), column((t) => t.refreshTokenSealed), column((t) => t.tokenType), column((t) => t.scope),
        column((t) => t.expiresAt), column((t) => t.lastRefreshedAt), column((t) => t.nextRefreshAt), column((t) => t.state), column((t) => t.lastMessage),
        column((t) => t.consecutiveFailures), column((t) => t.lastTransientError), items.map((i) => i.leaseId),
      ],
    );
    const rows = (Array.isArray(result) && Array.isArray(result[0]) ? result[0] : result) as { id: string }[];
    const stored = new Set(rows.map((r) => r.id));
    await outbox.recordMany(tx, items.filter(({ attempt }) => stored.has(attempt.token.id)).flatMap(({ attempt }) => attempt.events));
    return stored;
  });
}
