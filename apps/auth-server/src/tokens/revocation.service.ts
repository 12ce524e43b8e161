import { Inject, Injectable } from '@nestjs/common';
import { Events, type EventEnvelope, type TokenRevokedEvent } from '@tessera/contracts';
import type { Clock } from '@tessera/observability';
import { AuditTrail, EventOutbox, Transactions, type AuditEntry, type Transaction } from '@tessera/persistence';
import { CLOCK } from '@tessera/runtime';
import { MAX_ACCESS_TOKEN_TTL_MS } from '../keys/signing-keys.service.js';
import { RefreshTokenFamilyStore } from './refresh-token-family.store.js';
import { RevocationStore } from './revocation.store.js';
import { TokenMetrics } from './token-metrics.js';

export interface AccessTokenClaims {
  jti: string;
  client_id: string;
  iat: number;
  exp: number;
  fid?: string;
  cv?: number;
  /** RFC 9449 §6.1: the key a DPoP-bound token is bound to. */
  cnf?: { jkt?: string };
}

/**
 * Every revocation is written with its `tessera.events.auth.token.revoked` event in one transaction, so verifiers
 * everywhere learn of it within moments (never the token itself in the event).
 */
@Injectable()
export class RevocationService {
  constructor(
    private readonly transactions: Transactions,
    private readonly families: RefreshTokenFamilyStore,
    private readonly store: RevocationStore,
    private readonly outbox: EventOutbox,
    private readonly audit: AuditTrail,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly metrics: TokenMetrics,
  ) {}

  private horizon(now: Date): string {
    return new Date(now.getTime() + MAX_ACCESS_TOKEN_TTL_MS).toISOString();
  }

  /** Revokes a family (and so every refresh and access token it produced); false if it was already revoked. */
  async revokeFamily(manager: Transaction, familyId: string, reason: TokenRevokedEvent['reason']): Promise<boolean> {
    return Boolean(await this.revokeFamilyEvent(manager, familyId, reason));
  }

  /** Revokes a family; its event, or undefined if it was already revoked. */
  private async revokeFamilyEvent(manager: Transaction, familyId: string, reason: TokenRevokedEvent['reason']): Promise<EventEnvelope | undefined> {
    const now = this.clock.now();
    const clientId = await this.families.revoke(manager, familyId, now, reason);
    if (!clientId) return undefined;
    const event = await this.outbox.record<TokenRevokedEvent>(manager, Events.tokenRevoked, {
      familyId,
      clientId,
      reason,
      revokedAt: now.toISOString(),
      expiresAt: this.horizon(now),
    });
    this.metrics.revoked(reason, 'family');
    // A revocation nobody asked for (re-use, a replayed code) is a security event; an admin's is recorded as their action.
    if (reason === 'refresh_token_reuse' || reason === 'code_replay') {
      await this.audit.record(manager, {
        action: 'security.family_revoked',
        outcome: 'failure',
        target: { type: 'grant', id: familyId, name: clientId },
        detail: { reason },
      });
    }
    return event;
  }

  /**
   * Revokes a family in a transaction of its own, committed before this resolves, and sends its event to the
   * verifiers before resolving: whoever answers afterwards answers after the revocation is on the bus.
   */
  async revokeFamilyNow(familyId: string, reason: TokenRevokedEvent['reason'], audit?: AuditEntry): Promise<boolean> {
    const event = await this.transactions.run(async (manager) => {
      // The audit line (an admin's revocation, a re-use seen) commits with the revocation or not at all.
      if (audit) await this.audit.record(manager, audit);
      return this.revokeFamilyEvent(manager, familyId, reason);
    });
    await this.outbox.announce(event ? [event] : []);
    return Boolean(event);
  }

  /**
   * Revokes everything a client holds: its families (unless `accessTokensOnly`), and every access token issued to it
   * before the change of integration revision `revision` — by revision, so also those a replica still holding the old
   * record issued after the change (ADR 0013); tokens without a revision by issue time.
   */
  async revokeClient(
    manager: Transaction,
    clientId: string,
    reason: TokenRevokedEvent['reason'],
    options: { revision?: number; accessTokensOnly?: boolean } = {},
  ): Promise<EventEnvelope> {
    const now = this.clock.now();
    if (!options.accessTokensOnly) await this.families.revokeAllOfClient(manager, clientId, now, reason);
    await this.store.revokeClient(manager, clientId, now, options.revision ?? null);
    const event = await this.outbox.record<TokenRevokedEvent>(manager, Events.tokenRevoked, {
      clientId,
      reason,
      revokedAt: now.toISOString(),
      ...(options.revision !== undefined ? { clientRevision: options.revision } : {}),
      expiresAt: this.horizon(now),
    });
    this.metrics.revoked(reason, 'client');
    return event;
  }

  async revokeAccessToken(claims: AccessTokenClaims, reason: TokenRevokedEvent['reason']): Promise<void> {
    const now = this.clock.now();
    const expiresAt = new Date(claims.exp * 1000);
    const event = await this.transactions.run(async (manager) => {
      if (!(await this.store.revokeAccessToken(manager, { jti: claims.jti, clientId: claims.client_id, expiresAt, at: now }))) return undefined;
      const recorded = await this.outbox.record<TokenRevokedEvent>(manager, Events.tokenRevoked, {
        jti: claims.jti,
        clientId: claims.client_id,
        reason,
        revokedAt: now.toISOString(),
        expiresAt: expiresAt.toISOString(),
      });
      this.metrics.revoked(reason, 'token');
      return recorded;
    });
    await this.outbox.announce(event ? [event] : []);
  }

  /** Whether a validly signed, unexpired access token has since been revoked (by jti, family or client). */
  isRevoked(claims: AccessTokenClaims): Promise<boolean> {
    return this.store.isRevoked(claims);
  }

  /** When the client's tokens were last revoked client-wide, if ever. */
  clientRevokedAt(clientId: string): Promise<Date | undefined> {
    return this.store.clientRevokedAt(clientId);
  }

  /** Forgets revocations of tokens that have expired anyway. */
  async prune(): Promise<void> {
    await this.store.pruneExpiredAccessTokens(this.clock.now());
  }
}
