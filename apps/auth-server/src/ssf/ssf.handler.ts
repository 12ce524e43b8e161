import { Controller, Inject } from '@nestjs/common';
import { EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import {
  BusError,
  CreateSsfStreamCommand,
  Events,
  GetSsfStreamCommand,
  ListSsfStreamsQuery,
  SsfPollCommand,
  SsfStreamCommand,
  SsfSubjectCommand,
  SsfVerificationCommand,
  Subjects,
  UpdateSsfStatusCommand,
  UpdateSsfStreamCommand,
  type EventEnvelope,
  type TokenRevokedEvent,
} from '@tessera/contracts';
import { Transactions } from '@tessera/persistence';
import { ISSUER } from '@tessera/runtime';
import { sessionRevoked } from './caep-events.js';
import { SsfAdminService } from './ssf-admin.service.js';
import { SsfStreamsService } from './ssf-streams.service.js';
import { SsfTransmitter } from './ssf-transmitter.js';

/** The Shared Signals transmitter on the bus: the gateway's receiver requests (payloads arrive validated) and revocations. */
@Controller()
export class SsfHandler {
  constructor(
    private readonly streams: SsfStreamsService,
    private readonly admin: SsfAdminService,
    private readonly transmitter: SsfTransmitter,
    private readonly transactions: Transactions,
    @Inject(ISSUER) private readonly issuer: string,
  ) {}

  @MessagePattern(Subjects.auth.ssf.stream.create)
  create(@Payload() command: CreateSsfStreamCommand) {
    return this.streams.create(command);
  }

  @MessagePattern(Subjects.auth.ssf.stream.get)
  get(@Payload() command: GetSsfStreamCommand) {
    return this.streams.get(command);
  }

  @MessagePattern(Subjects.auth.ssf.stream.update)
  update(@Payload() command: UpdateSsfStreamCommand) {
    return this.streams.update(command);
  }

  @MessagePattern(Subjects.auth.ssf.stream.delete)
  delete(@Payload() command: SsfStreamCommand) {
    return this.streams.delete(command);
  }

  @MessagePattern(Subjects.auth.ssf.status.get)
  status(@Payload() command: SsfStreamCommand) {
    return this.streams.status(command);
  }

  @MessagePattern(Subjects.auth.ssf.status.update)
  updateStatus(@Payload() command: UpdateSsfStatusCommand) {
    return this.streams.updateStatus(command);
  }

  @MessagePattern(Subjects.auth.ssf.subject.add)
  addSubject(@Payload() command: SsfSubjectCommand) {
    return this.streams.addSubject(command);
  }

  @MessagePattern(Subjects.auth.ssf.subject.remove)
  removeSubject(@Payload() command: SsfSubjectCommand) {
    return this.streams.removeSubject(command);
  }

  @MessagePattern(Subjects.auth.ssf.verify)
  verify(@Payload() command: SsfVerificationCommand) {
    return this.streams.verify(command);
  }

  @MessagePattern(Subjects.auth.ssf.poll)
  poll(@Payload() command: SsfPollCommand) {
    return this.streams.poll(command);
  }

  /** Every receiver's streams, for the admin API (the gateway checks the caller's role). */
  @MessagePattern(Subjects.auth.ssf.list)
  list(@Payload() query: ListSsfStreamsQuery) {
    return this.admin.list(query);
  }

  /** Every revocation, from this service's own events on the stream (a durable consumer): CAEP session-revoked. */
  @EventPattern(Events.tokenRevoked)
  async onTokenRevoked(@Payload() event: EventEnvelope<TokenRevokedEvent>): Promise<void> {
    const revoked = event?.data;
    if (typeof revoked?.clientId !== 'string' || typeof revoked.revokedAt !== 'string' || typeof revoked.reason !== 'string') {
      throw new BusError('validation_failed', 'A revocation needs a clientId, a reason and revokedAt');
    }
    await this.transactions.applyOnce(event, async (tx) => {
      await this.transmitter.queue(tx, sessionRevoked(event.id, event.data, this.issuer));
    });
    this.transmitter.flush();
  }
}
