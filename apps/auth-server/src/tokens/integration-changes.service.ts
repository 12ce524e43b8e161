import { Inject, Injectable } from '@nestjs/common';
import { BusError, type EventEnvelope, type IntegrationChangedEvent } from '@tessera/contracts';
import type { Clock } from '@tessera/observability';
import { EventOutbox, Transactions } from '@tessera/persistence';
import { CLOCK } from '@tessera/runtime';
import { ClientDirectory } from '../clients/client-directory.js';
import { ClientRevisionStore } from '../clients/client-revision.store.js';
import { integrationChanged } from '../ssf/caep-events.js';
import { SsfTransmitter } from '../ssf/ssf-transmitter.js';
import { revocationFor } from './integration-change-policy.js';
import { RevocationService } from './revocation.service.js';

/**
 * Applies an integration change once, whether it comes as the registry's command (before the admin call answers) or
 * as the durable event (a replay, or the command was lost): raise the client's revision barrier, so no replica issues
 * from an older cached record, and revoke what the change takes away (ADR 0013).
 */
@Injectable()
export class IntegrationChangesService {
  constructor(
    private readonly transactions: Transactions,
    private readonly clients: ClientDirectory,
    private readonly revisions: ClientRevisionStore,
    private readonly revocations: RevocationService,
    private readonly outbox: EventOutbox,
    private readonly transmitter: SsfTransmitter,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * Resolves once the change is committed here and its revocation event is on the bus: sent to the verifiers over
   * plain NATS, and queued for the stream. Waiting for the stream's acknowledgement instead held the admin call for as
   * long as the stream had no leader (seconds on a cluster that lost a node): a 503 for a change already in force.
   */
  async apply(event: EventEnvelope<IntegrationChangedEvent>): Promise<void> {
    const change = event?.data;
    if (typeof event?.id !== 'string' || typeof change?.applicationId !== 'string' || !Number.isInteger(change.revision)) {
      throw new BusError('validation_failed', 'An integration change needs an event id, an applicationId and a revision');
    }
    this.clients.evict(change.applicationId);
    let revoked: EventEnvelope | undefined;
    const applied = await this.transactions.applyOnce(event, async (manager) => {
      await this.revisions.raise(manager, change.applicationId, change.revision, this.clock.now());
      // Shared Signals receivers hear of a new secret or narrowed permissions in the same transaction (ADR 0049).
      const signal = integrationChanged(event.id, change, event.occurredAt ?? this.clock.now().toISOString());
      if (signal) await this.transmitter.queue(manager, signal);
      // The event says what changed; what that takes away is decided here.
      const revocation = revocationFor(change);
      if (!revocation) return;
      revoked = await this.revocations.revokeClient(manager, change.applicationId, revocation.reason, {
        revision: change.revision,
        accessTokensOnly: revocation.accessTokensOnly,
      });
    });
    this.transmitter.flush();
    // A record fetched while the change was being applied may predate it: drop it again.
    this.clients.evict(change.applicationId);
    // Applied before (the durable event came first, or an earlier attempt whose answer was lost): what it revoked may
    // still be waiting in the table.
    if (applied) await this.outbox.announce(revoked ? [revoked] : []);
    else await this.outbox.announcePending();
  }
}
