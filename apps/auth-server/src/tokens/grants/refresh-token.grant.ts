import { Inject, Injectable } from '@nestjs/common';
import { BusError, type TokenResponse } from '@tessera/contracts';
import { randomToken, tokenHash } from '@tessera/crypto';
import { grantScope, parseScope } from '@tessera/permissions';
import type { Clock } from '@tessera/observability';
import { Transactions } from '@tessera/persistence';
import { CLOCK } from '@tessera/runtime';
import { StaleClientRecord, type AuthenticatedClient } from '../../clients/client-directory.js';
import { RefreshTokenFamilyStore, type RotationState } from '../refresh-token-family.store.js';
import { RevocationService } from '../revocation.service.js';
import { TokenIssuance, type Grant, type TokenGrant } from './token-issuance.js';

/** A rotated token re-presented within the interval while its successor is unused is a retry, not re-use. */
export function withinReuseInterval(state: RotationState, intervalSeconds: number, now: Date): boolean {
  if (!state.rotated_at || !state.replaced_by || intervalSeconds <= 0) return false;
  if (state.successor_rotated_at || state.successor_superseded_at) return false;
  return now.getTime() - state.rotated_at.getTime() < intervalSeconds * 1000;
}

/** RFC 6749 §6: a refresh may ask for less than the original grant, never more, and never beyond current permissions. */
export function narrowedScope(original: string, requested: string | undefined, client: AuthenticatedClient): string {
  const originalSet = parseScope(original);
  const asked = requested === undefined ? originalSet : parseScope(requested);
  const outside = asked.filter((p) => !originalSet.includes(p));
  if (outside.length) throw BusError.oauth('invalid_scope', `Not part of the original grant: ${outside.join(' ').slice(0, 500)}`);
  const decision = grantScope(client.permissions, asked.join(' '));
  if ('rejected' in decision) throw BusError.oauth('invalid_grant', 'The integration no longer holds the permissions of this grant');
  return decision.granted.join(' ');
}

/**
 * Rotation and issuance happen in one transaction: if anything fails before commit, the presented refresh token is
 * not burned and the client can retry. Presenting an already-rotated token is re-use (RFC 9700 §4.14): the whole
 * family is revoked, in its own committed transaction, and the request fails — except within the integration's
 * reuse interval (`refreshTokenReuseIntervalSeconds`, as Auth0's reuse interval and Okta's grace period): the token
 * just rotated, re-presented by the same client while its successor is still unused, is the client retrying after
 * a lost answer; it gets a fresh pair and the unused successor is superseded. The interval runs from the first
 * rotation, so retries cannot stretch it. Once the successor has been used, the old token is re-use as before.
 */
@Injectable()
export class RefreshTokenGrant implements TokenGrant {
  constructor(
    private readonly transactions: Transactions,
    private readonly families: RefreshTokenFamilyStore,
    private readonly issuance: TokenIssuance,
    private readonly revocations: RevocationService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async issue(client: AuthenticatedClient, params: Record<string, string>): Promise<TokenResponse> {
    const presented = params.refresh_token;
    if (!presented) throw BusError.oauth('invalid_request', 'refresh_token is required');
    const hash = tokenHash(presented);
    const outcome = await this.transactions.run(async (manager) => {
      const now = this.clock.now();
      const family = await this.families.lockForRotation(manager, hash);
      if (!family || family.client_id !== client.applicationId) throw BusError.oauth('invalid_grant', 'The refresh token is invalid');
      if ((family.client_revision ?? 0) > client.revision) throw new StaleClientRecord(client.applicationId);
      if (family.revoked_at) throw BusError.oauth('invalid_grant', 'The refresh token has been revoked');
      // Never used, replaced by a retry of its predecessor: the client holds the newer one; not a sign of theft.
      if (family.superseded_at) throw BusError.oauth('invalid_grant', 'The refresh token was superseded by a retry of the previous one');
      const retry = family.rotated_at !== null && withinReuseInterval(family, client.refreshTokenReuseIntervalSeconds, now);
      if (family.rotated_at && !retry) return { reused: family.id };
      if (family.expires_at && family.expires_at <= now) throw BusError.oauth('invalid_grant', 'The refresh token has expired');
      const scope = narrowedScope(family.scope, params.scope, client);
      const grant: Grant = { client, subject: family.subject, scope, grantType: 'refresh_token', audience: this.issuance.audience(params) };
      const next = randomToken(32);
      const access = await this.issuance.accessToken(grant, family.id);
      await this.families.rotate(manager, {
        familyId: family.id,
        presentedHash: hash,
        nextHash: tokenHash(next),
        supersede: retry ? family.replaced_by : null,
        at: now,
      });
      return { response: this.issuance.response(access, grant, next), issued: () => this.issuance.announceIssued(grant, access, family.id) };
    });
    if (outcome.response) {
      outcome.issued!();
      return outcome.response;
    }
    await this.revocations.revokeFamilyNow(outcome.reused!, 'refresh_token_reuse', {
      action: 'security.refresh_token_reused',
      outcome: 'failure',
      target: { type: 'grant', id: outcome.reused!, name: client.applicationId },
    });
    throw BusError.oauth('invalid_grant', 'The refresh token was already used; every token of this grant has been revoked');
  }
}
