import { BusError, type BusSubject, type ReplyOf, type RequestOf } from '@tessera/contracts';
import { contextHeaders } from '@tessera/observability';
import { BusUnavailableError, type Bus } from './bus.js';

/**
 * The one way to call another service: `call(subject, payload)` resolves with the reply's data, typed by the subject
 * (contracts' BusCalls), or rejects with the BusError the handler raised. An unanswered request rejects with
 * BusError('unavailable', { subject, reason }) after the timeout, or at once when nothing serves the subject, instead
 * of hanging. The current request's id, actor and address travel in the headers (the audit log's who and where).
 */
export class BusClient {
  constructor(
    private readonly bus: Bus,
    private readonly timeoutMs: number,
  ) {}

  async call<S extends BusSubject>(subject: S, payload: RequestOf<S>): Promise<ReplyOf<S>> {
    let reply;
    try {
      reply = await this.bus.request(subject, payload, { timeoutMs: this.timeoutMs, headers: contextHeaders() });
    } catch (error) {
      if (error instanceof BusUnavailableError) throw new BusError('unavailable', error.message, { subject: error.subject, reason: error.reason });
      throw error;
    }
    if (!reply.ok) throw BusError.fromPayload(reply.error);
    return reply.data as ReplyOf<S>;
  }
}
