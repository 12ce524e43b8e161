import { Inject, Injectable } from '@nestjs/common';
import { BusError, Subjects, type AuditRecordedEvent, type EventOwner } from '@tessera/contracts';
import { BusClient, verifyActorAttestation } from '@tessera/messaging';
import { busCredentialOf, RUNTIME, type ServiceRuntime } from '@tessera/runtime';

/** How long the gateway's public key is trusted before it is asked again when a statement does not verify (rotation). */
const KEY_RECHECK_MS = 60_000;

/**
 * Who an audit line may name. A person (an administrator) only with the gateway's signed statement that they made the
 * request the line records, or on the auth server's own lines (it checks the passwords and keeps the sessions). Any
 * other line naming a person without one keeps the claim apart, as `detail.claimedActor`, and names no one (ADR 0027).
 * Only on a secured bus: in-process, or on an open development bus, any process may act as any service anyway.
 */
@Injectable()
export class PersonActors {
  private readonly required: boolean;
  private key?: { publicKey: string; fetchedAtMs: number };

  constructor(
    @Inject(RUNTIME) runtime: ServiceRuntime,
    private readonly bus: BusClient,
  ) {
    this.required = busCredentialOf(runtime.config, 'auth-server') !== undefined;
  }

  /** The line as the log keeps it; throws (the event is delivered again) while the gateway cannot be asked for its key. */
  async vouched(owner: EventOwner | undefined, line: AuditRecordedEvent, occurredAtMs: number): Promise<AuditRecordedEvent> {
    const { actorProof, ...kept } = line;
    if (!this.required || owner === 'auth-server' || kept.actor?.type !== 'user') return kept;
    const actor = kept.actor;
    if (await this.verifies((publicKey) => verifyActorAttestation(publicKey, actor, kept.requestId, actorProof, occurredAtMs))) return kept;
    const claimed = `user:${actor.name ?? actor.id}`.slice(0, 200);
    return { ...kept, actor: null, detail: { ...kept.detail, claimedActor: claimed } };
  }

  private async verifies(check: (publicKey: string) => boolean): Promise<boolean> {
    if (this.key && check(this.key.publicKey)) return true;
    if (this.key && Date.now() - this.key.fetchedAtMs < KEY_RECHECK_MS) return false;
    const answer = await this.bus.call(Subjects.gateway.actorKey.get, {}).catch((error: unknown) => {
      throw error instanceof BusError ? error : new BusError('unavailable', "The gateway's key could not be had");
    });
    this.key = { publicKey: answer.publicKey, fetchedAtMs: Date.now() };
    return check(answer.publicKey);
  }
}
