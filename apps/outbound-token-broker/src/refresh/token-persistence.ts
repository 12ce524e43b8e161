import type { EventOutbox } from '@tessera/persistence';
import type { EntityManager } from 'typeorm';
import { Provider } from '../providers/provider.entity.js';
import { OutboundToken } from '../tokens/outbound-token.entity.js';
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

/**
 * Stores the outcome of refresh attempts — every changed column of every token in one UPDATE, and their events
 * through the outbox — in one transaction. One statement for a whole scheduler batch is what lets one replica do
 * well over a thousand refreshes a second; one refresh is just a batch of one.
 */
export async function persistAttempts(manager: EntityManager, outbox: EventOutbox, attempts: AttemptResult[]): Promise<void> {
  const changed = attempts.filter((a) => a.outcome !== 'not_needed' && a.outcome !== 'busy');
  if (!changed.length) return;
  const column = <T>(pick: (t: OutboundToken) => T) => changed.map((a) => pick(a.token));
  await manager.transaction(async (tx) => {
    await tx.query(
      `UPDATE "broker"."outbound_token" AS t SET
         "access_token_sealed" = v.ats, "refresh_token_sealed" = v.rts, "token_type" = v.tt, "scope" = v.sc, "expires_at" = v.ea,
         "last_refreshed_at" = v.lra, "next_refresh_at" = v.nra, "state" = v.st, "last_message" = v.lm,
         "consecutive_failures" = v.cf, "last_transient_error" = v.lte, "updated_at" = now()
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::timestamptz[], $8::timestamptz[],
                   $9::text[], $10::text[], $11::int[], $12::text[]) AS v(id, ats, rts, tt, sc, ea, lra, nra, st, lm, cf, lte)
       WHERE t."id" = v.id`,
      [
        column((t) => t.id), column((t) => t.accessTokenSealed), column((t) => t.refreshTokenSealed), column((t) => t.tokenType), column((t) => t.scope),
        column((t) => t.expiresAt), column((t) => t.lastRefreshedAt), column((t) => t.nextRefreshAt), column((t) => t.state), column((t) => t.lastMessage),
        column((t) => t.consecutiveFailures), column((t) => t.lastTransientError),
      ],
    );
    for (const attempt of changed) for (const event of attempt.events) await outbox.record(tx, event.type, event.data);
  });
}
