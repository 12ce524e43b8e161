import { Inject, Injectable } from '@nestjs/common';
import { BusError, type FamilyPage, type RefreshTokenFamilyView } from '@tessera/contracts';
import type { Clock } from '@tessera/observability';
import { AuditTrail, EventOutbox, Transactions } from '@tessera/persistence';
import { CLOCK } from '@tessera/runtime';
import { RefreshTokenFamilyStore, type FamilyRow as StoredFamily } from './refresh-token-family.store.js';
import { RevocationService } from './revocation.service.js';

type FamilyRow = Omit<StoredFamily, 'subject' | 'revoked_at'>;

/** A page position: the (created_at, id) of the last grant shown, opaque to callers. */
function encodeCursor(row: FamilyRow): string {
  return Buffer.from(`${row.created_at.toISOString()}|${row.id}`).toString('base64url');
}

function decodeCursor(cursor: string): [Date, string] {
  const [at, id] = Buffer.from(cursor, 'base64url').toString().split('|');
  const date = new Date(at);
  if (!id || Number.isNaN(date.getTime()) || !/^[0-9a-f-]{36}$/i.test(id)) {
    throw new BusError('validation_failed', 'The request has invalid fields', { cursor: ['cursor must be the nextCursor of the previous page'] });
  }
  return [date, id];
}

/** The live grants of an integration, as an admin sees and revokes them. */
@Injectable()
export class FamiliesService {
  constructor(
    private readonly transactions: Transactions,
    private readonly store: RefreshTokenFamilyStore,
    private readonly revocations: RevocationService,
    private readonly outbox: EventOutbox,
    private readonly audit: AuditTrail,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Newest first, keyset-paged on (created_at, id): each page is one index range scan however many grants there are. */
  async list(integrationId: string, limit = 100, cursor?: string): Promise<FamilyPage> {
    const after = cursor ? decodeCursor(cursor) : undefined;
    // One more than asked: whether it comes back says whether there is a next page.
    const rows = await this.store.listLive(integrationId, this.clock.now(), limit + 1, after);
    const page = rows.slice(0, limit);
    return { items: page.map(toView), nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1]) : null };
  }

  async revoke(integrationId: string, familyId: string): Promise<void> {
    const family = await this.store.get(integrationId, familyId);
    if (!family || family.revokedAt) throw BusError.notFound('Token family', familyId);
    await this.revocations.revokeFamilyNow(familyId, 'admin', {
      action: 'grant.revoke',
      target: { type: 'grant', id: familyId, name: family.clientId },
      detail: { integrationId },
    });
  }

  /**
   * "Revoke all": every grant of the client and every access token issued to it up to now, including those that
   * have no grant (integrations that take no refresh tokens on client_credentials), in one transaction and one event.
   */
  async revokeAll(clientId: string, integrationId?: string): Promise<void> {
    await this.transactions.run(async (manager) => {
      await this.revocations.revokeClient(manager, clientId, 'admin');
      await this.audit.record(manager, { action: 'grant.revoke_all', target: { type: 'integration', id: integrationId, name: clientId } });
    });
    void this.outbox.flush();
  }
}

function toView(f: FamilyRow): RefreshTokenFamilyView {
  return {
    id: f.id,
    integrationId: f.integration_id,
    clientId: f.client_id,
    scope: f.scope,
    grantType: f.grant_type,
    createdAt: f.created_at.toISOString(),
    lastUsedAt: f.last_used_at?.toISOString() ?? null,
    expiresAt: f.expires_at?.toISOString() ?? null,
  };
}
