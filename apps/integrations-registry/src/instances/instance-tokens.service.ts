import { Injectable } from '@nestjs/common';
import { Events, type EventEnvelope, type InstanceAuthorizationEvent, type InstanceTokenView, type OutboundTokenRefreshFailedEvent } from '@tessera/contracts';
import { EventOutbox, Transactions } from '@tessera/persistence';
import { PlatformInstanceStore } from './platform-instance.store.js';

export type TokenEventData = { tokenId?: string; expiresAt?: string | null; scope?: string | null } & Partial<OutboundTokenRefreshFailedEvent>;

/**
 * Keeps each platform instance's record in step with the outbound token the broker holds for calling it ("the token
 * lives on the record"), and announces when an instance becomes authorized or stops being so.
 */
@Injectable()
export class InstanceTokensService {
  constructor(
    private readonly transactions: Transactions,
    private readonly store: PlatformInstanceStore,
    private readonly outbox: EventOutbox,
  ) {}

  /** Applies one of the broker's token events to the record holding that token, at most once. */
  async follow(event: EventEnvelope<TokenEventData>): Promise<void> {
    const tokenId = event.data?.tokenId;
    // token.revoked also carries the auth server's access-token revocations, which name no outbound token.
    if (typeof tokenId !== 'string') return;
    await this.transactions.applyOnce(event, async (manager) => {
      const instance = await this.store.lockByToken(manager, tokenId);
      if (!instance) return;
      const previous = instance.token;
      const next = this.nextState(event, previous);
      instance.token = next;
      await this.store.save(manager, instance);
      const announce = (type: string, message?: string) =>
        this.outbox.record<InstanceAuthorizationEvent>(manager, type, {
          instanceId: instance.id,
          name: instance.name,
          tokenId,
          state: next.state,
          ...(message ? { message } : {}),
        });
      if (event.type === Events.outboundTokenAuthorized) await announce(Events.instanceAuthorized);
      else if (next.state === 'revoked' && previous?.state !== 'revoked') await announce(Events.instanceDeauthorized, next.lastMessage ?? undefined);
    });
    void this.outbox.flush();
  }

  private nextState(event: EventEnvelope<TokenEventData>, previous: InstanceTokenView | null): InstanceTokenView {
    const data = event.data;
    const base = { tokenId: data.tokenId!, updatedAt: event.occurredAt };
    switch (event.type) {
      case Events.outboundTokenAuthorized:
      case Events.outboundTokenRefreshed:
      case Events.outboundTokenRecovered:
        return {
          ...base,
          state: 'valid',
          expiresAt: data.expiresAt ?? previous?.expiresAt ?? null,
          scope: data.scope ?? previous?.scope ?? null,
          lastMessage: null,
        };
      case Events.outboundTokenRefreshFailed:
        // A permanent refusal: the broker's state (revoked when the instance ended the grant) and no expiry, as the
        // broker shows it — the record and the Outbound tokens page tell one story.
        return data.permanent
          ? {
              ...base,
              state: data.state === 'refresh_failed' ? 'refresh_failed' : 'revoked',
              expiresAt: null,
              scope: previous?.scope ?? null,
              lastMessage: `The instance refused the token: ${data.error}`,
            }
          : {
              ...base,
              state: data.state ?? previous?.state ?? 'valid',
              expiresAt: previous?.expiresAt ?? null,
              scope: previous?.scope ?? null,
              lastMessage: `Refresh failed, retrying: ${data.error}`,
            };
      default:
        return { ...base, state: 'revoked', expiresAt: null, scope: previous?.scope ?? null, lastMessage: 'The token was revoked on this platform' };
    }
  }
}
