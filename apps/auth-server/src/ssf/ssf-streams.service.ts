import { Inject, Injectable } from '@nestjs/common';
import {
  BusError,
  SSF_EVENTS_SUPPORTED,
  SSF_EVENT_TYPES,
  SSF_MAX_STREAMS_PER_RECEIVER,
  SSF_POLL,
  SSF_PUSH,
  type CreateSsfStreamCommand,
  type GetSsfStreamCommand,
  type SsfDelivery as SsfDeliveryRequest,
  type SsfPollCommand,
  type SsfPollResponse,
  type SsfStreamCommand,
  type SsfStreamConfiguration,
  type SsfStreamStatus,
  type SsfSubjectCommand,
  type SsfVerificationCommand,
  type UpdateSsfStatusCommand,
  type UpdateSsfStreamCommand,
} from '@tessera/contracts';
import type { Clock } from '@tessera/observability';
import { AuditTrail, EventOutbox, Transactions, type Transaction } from '@tessera/persistence';
import type { Egress } from '@tessera/egress';
import { CLOCK, EGRESS, ISSUER, RUNTIME, type ServiceRuntime } from '@tessera/runtime';
import { SsfDelivery } from './ssf-delivery.js';
import { SsfMetrics } from './ssf-metrics.js';
import { SsfSecrets } from './ssf-secrets.js';
import { SsfPendingSet, SsfStream } from './ssf-stream.entity.js';
import { subjectKey } from './ssf-subjects.js';
import { SsfStore } from './ssf.store.js';

const invalid = (field: string, message: string) => new BusError('validation_failed', `${field} ${message}`, { [field]: message });

/**
 * A receiver's streams (SSF 1.0 §8.1): each receiver, an integration holding `*:ssf=receive`, sees and changes only
 * its own; another's stream answers 404, as if it did not exist.
 */
@Injectable()
export class SsfStreamsService {
  /**
   * Seconds a receiver waits between two verification requests of a stream (SSF 1.0 §8.1.1, §8.1.4.2: sooner answers
   * 429). A verification event is queued and signed like any SET: without a floor, a receiver could make the
   * transmitter sign as fast as it can ask.
   */
  private readonly minVerificationIntervalS: number;

  constructor(
    private readonly transactions: Transactions,
    private readonly store: SsfStore,
    private readonly delivery: SsfDelivery,
    private readonly metrics: SsfMetrics,
    private readonly secrets: SsfSecrets,
    private readonly audit: AuditTrail,
    private readonly outbox: EventOutbox,
    @Inject(EGRESS) private readonly egress: Egress,
    @Inject(ISSUER) private readonly issuer: string,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(RUNTIME) runtime: ServiceRuntime,
  ) {
    this.minVerificationIntervalS = runtime.config.ssf.minVerificationIntervalSeconds;
  }

  async create(command: CreateSsfStreamCommand): Promise<SsfStreamConfiguration> {
    if ((await this.store.streamsOf(command.receiver)).length >= SSF_MAX_STREAMS_PER_RECEIVER) {
      throw BusError.conflict(`A receiver has at most ${SSF_MAX_STREAMS_PER_RECEIVER} streams`);
    }
    await this.checkEndpoint(command.delivery);
    const now = this.clock.now();
    const id = this.clock.uuid();
    const stream: SsfStream = {
      id,
      receiver: command.receiver,
      eventsRequested: command.events_requested ?? [...SSF_EVENTS_SUPPORTED],
      ...this.deliveryOf(command.delivery, id),
      description: command.description ?? null,
      status: 'enabled',
      statusReason: null,
      createdAt: now,
      updatedAt: now,
      lastVerificationAt: null,
    };
    await this.run(async (tx) => {
      await this.store.insertStream(tx, stream);
      await this.audit.record(tx, { action: 'ssf.stream.create', target: targetOf(stream), after: this.view(stream) });
    });
    return this.view(stream);
  }

  async get(command: GetSsfStreamCommand): Promise<SsfStreamConfiguration | SsfStreamConfiguration[]> {
    if (command.stream_id === undefined) return (await this.store.streamsOf(command.receiver)).map((s) => this.view(s));
    return this.view(await this.streamOf(command.receiver, command.stream_id));
  }

  /** PATCH changes what is sent; PUT replaces the receiver-supplied configuration, defaults for what is left out. */
  async update(command: UpdateSsfStreamCommand): Promise<SsfStreamConfiguration> {
    if (command.iss !== undefined && command.iss !== this.issuer) throw invalid('iss', 'is not this transmitter');
    if (command.replace && !command.delivery) throw invalid('delivery', 'is required');
    if (command.delivery) await this.checkEndpoint(command.delivery);
    return this.run(async (tx) => {
      const stream = await this.streamOf(command.receiver, command.stream_id, tx);
      const before = this.view(stream);
      if (command.replace || command.events_requested) stream.eventsRequested = command.events_requested ?? [...SSF_EVENTS_SUPPORTED];
      if (command.replace || command.description !== undefined) stream.description = command.description ?? null;
      if (command.delivery) Object.assign(stream, this.deliveryOf(command.delivery, stream.id, stream));
      stream.updatedAt = this.clock.now();
      await this.store.saveStream(tx, stream);
      await this.audit.record(tx, { action: 'ssf.stream.update', target: targetOf(stream), before, after: this.view(stream) });
      return this.view(stream);
    });
  }

  async delete(command: SsfStreamCommand): Promise<Record<string, never>> {
    await this.run(async (tx) => {
      const stream = await this.streamOf(command.receiver, command.stream_id, tx);
      await this.store.deleteStream(tx, command.stream_id);
      await this.audit.record(tx, { action: 'ssf.stream.delete', target: targetOf(stream), before: this.view(stream) });
    });
    return {};
  }

  async status(command: SsfStreamCommand): Promise<SsfStreamStatus> {
    return statusOf(await this.streamOf(command.receiver, command.stream_id));
  }

  /** Paused keeps what comes for later; disabled drops what waits and takes nothing new (SSF 1.0 §8.1.2). */
  async updateStatus(command: UpdateSsfStatusCommand): Promise<SsfStreamStatus> {
    const stream = await this.run(async (tx) => {
      const stream = await this.streamOf(command.receiver, command.stream_id, tx);
      const before = statusOf(stream);
      const changed = stream.status !== command.status;
      stream.status = command.status;
      stream.statusReason = command.reason ?? null;
      stream.updatedAt = this.clock.now();
      await this.store.saveStream(tx, stream);
      if (command.status === 'disabled') await this.store.dropPending(tx, stream.id);
      await this.audit.record(tx, { action: 'ssf.stream.status', target: targetOf(stream), before, after: statusOf(stream) });
      // A receiver that pauses and resumes learns the stream's status as a stream-updated event too.
      if (changed && command.status !== 'disabled') {
        await this.enqueue(tx, [
          this.streamEvent(stream, SSF_EVENT_TYPES.streamUpdated, { status: command.status, ...(command.reason ? { reason: command.reason } : {}) }),
        ]);
      }
      return stream;
    });
    this.delivery.kick();
    return statusOf(stream);
  }

  async addSubject(command: SsfSubjectCommand): Promise<Record<string, never>> {
    const key = subjectKey(command.subject);
    await this.run(async (tx) => {
      await this.streamOf(command.receiver, command.stream_id, tx);
      await this.store.addSubject(tx, { streamId: command.stream_id, key, subject: command.subject });
    });
    return {};
  }

  async removeSubject(command: SsfSubjectCommand): Promise<Record<string, never>> {
    const key = subjectKey(command.subject);
    await this.run(async (tx) => {
      await this.streamOf(command.receiver, command.stream_id, tx);
      if (!(await this.store.removeSubject(tx, command.stream_id, key))) throw new BusError('not_found', 'The stream does not hold that subject');
    });
    return {};
  }

  /** A verification event (SSF 1.0 §8.1.4), delivered like any other, so the receiver sees the whole path work. */
  async verify(command: SsfVerificationCommand): Promise<Record<string, never>> {
    await this.run(async (tx) => {
      const stream = await this.streamOf(command.receiver, command.stream_id, tx);
      if (stream.status === 'disabled') throw BusError.conflict('The stream is disabled');
      const now = this.clock.now();
      const last = await this.store.noteVerification(tx, stream.id, now, this.minVerificationIntervalS * 1000);
      if (last) {
        const retryAfterSeconds = Math.max(1, Math.ceil((last.getTime() + this.minVerificationIntervalS * 1000 - now.getTime()) / 1000));
        throw new BusError('rate_limited', `A verification was requested less than ${this.minVerificationIntervalS} s ago (min_verification_interval)`, {
          retryAfterSeconds,
        });
      }
      await this.enqueue(tx, [this.streamEvent(stream, SSF_EVENT_TYPES.verification, command.state === undefined ? {} : { state: command.state })]);
    });
    this.delivery.kick();
    return {};
  }

  /** RFC 8936 poll of one of the receiver's streams. */
  async poll(command: SsfPollCommand): Promise<SsfPollResponse> {
    return this.delivery.poll(command, await this.streamOf(command.receiver, command.stream_id));
  }

  private async enqueue(tx: Transaction, sets: SsfPendingSet[]): Promise<void> {
    await this.store.enqueue(tx, sets);
    this.metrics.setsQueued(sets);
  }

  /** A change and its audit line in one transaction; the line is relayed once it is committed. */
  private async run<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
    const result = await this.transactions.run(work);
    void this.outbox.flush();
    return result;
  }

  /** A push endpoint the egress policy would refuse is refused now, not at the first SET (ADR 0015). */
  private async checkEndpoint(delivery: SsfDeliveryRequest): Promise<void> {
    if (delivery.method !== SSF_PUSH || !delivery.endpoint_url) return;
    const refusal = await this.egress.refusalFor(delivery.endpoint_url);
    if (refusal) throw invalid('delivery.endpoint_url', refusal);
  }

  private streamEvent(stream: SsfStream, type: string, payload: Record<string, unknown>): SsfPendingSet {
    const now = this.clock.now();
    const jti = this.clock.uuid();
    return {
      jti,
      streamId: stream.id,
      claims: { jti, iat: Math.floor(now.getTime() / 1000), sub_id: { format: 'opaque', id: stream.id }, events: { [type]: payload } },
      createdAt: now,
      attempts: 0,
      nextAttemptAt: now,
      lastError: null,
    };
  }

  private async streamOf(receiver: string, id: string, tx?: Transaction): Promise<SsfStream> {
    const stream = /^[0-9a-f-]{36}$/i.test(id) ? await this.store.streamOf(receiver, id, tx) : null;
    if (!stream) throw BusError.notFound('Stream', id);
    return stream;
  }

  /** Push names the receiver's endpoint (its header sealed); poll gets this transmitter's poll endpoint for the stream. */
  private deliveryOf(
    delivery: SsfDeliveryRequest,
    id: string,
    current?: SsfStream,
  ): Pick<SsfStream, 'deliveryMethod' | 'endpointUrl' | 'authorizationHeaderSealed'> {
    if (delivery.method === SSF_POLL) return { deliveryMethod: SSF_POLL, endpointUrl: null, authorizationHeaderSealed: null };
    if (!delivery.endpoint_url) throw invalid('delivery.endpoint_url', 'is required');
    const header =
      delivery.authorization_header !== undefined
        ? this.secrets.seal(delivery.authorization_header, id)
        : current?.endpointUrl === delivery.endpoint_url
          ? current.authorizationHeaderSealed
          : null;
    return { deliveryMethod: SSF_PUSH, endpointUrl: delivery.endpoint_url, authorizationHeaderSealed: header };
  }

  private view(stream: SsfStream): SsfStreamConfiguration {
    return {
      stream_id: stream.id,
      iss: this.issuer,
      aud: stream.receiver,
      events_supported: [...SSF_EVENTS_SUPPORTED],
      events_requested: stream.eventsRequested,
      events_delivered: eventsDelivered(stream),
      delivery: {
        method: stream.deliveryMethod as SsfStreamConfiguration['delivery']['method'],
        endpoint_url: stream.deliveryMethod === SSF_POLL ? `${this.issuer}/ssf/poll/${stream.id}` : stream.endpointUrl!,
      },
      ...(stream.description !== null ? { description: stream.description } : {}),
      min_verification_interval: this.minVerificationIntervalS,
    };
  }
}

/** What a stream gets: the events it requested that this transmitter supports. */
export function eventsDelivered(stream: SsfStream): string[] {
  const supported: readonly string[] = SSF_EVENTS_SUPPORTED;
  return stream.eventsRequested.filter((type) => supported.includes(type));
}

function targetOf(stream: SsfStream) {
  return { type: 'ssf_stream', id: stream.id, name: stream.receiver };
}

function statusOf(stream: SsfStream): SsfStreamStatus {
  return { stream_id: stream.id, status: stream.status, ...(stream.statusReason ? { reason: stream.statusReason } : {}) };
}
