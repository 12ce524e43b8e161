import { BusError, type BusSubject, type ReplyOf, type RequestOf } from '@tessera/contracts';
import { currentRequestId } from '@tessera/observability';
import { BusUnavailableError, type Bus } from './bus.js';
import { REQUEST_ID_HEADER } from './bus-server.js';

/**
 * The one way to call another service: `call(subject, payload)` resolves with the reply's data, typed by the subject
 * (contracts' BusCalls), or rejects with the BusError the handler raised. An unanswered request rejects with
 * BusError('unavailable', { subject, reason }) after the timeout, or at once when nothing serves the subject, instead
 * of hanging. The request id of the current request travels in the headers.
 */
export class BusClient {
  constructor(private readonly bus: Bus, private readonly timeoutMs: number) {}

  async call<S extends BusSubject>(subject: S, payload: RequestOf<S>): Promise<ReplyOf<S>> {
    const requestId = currentRequestId();
    let reply;
    try {
      reply = await this.bus.request(subject, payload, { timeoutMs: this.timeoutMs, headers: requestId ? { [REQUEST_ID_HEADER]: requestId } : {} });
    } catch (error) {
      if (error instanceof BusUnavailableError) throw new BusError('unavailable', error.message, { subject: error.subject, reason: error.reason });
      throw error;
    }
    if (!reply.ok) throw BusError.fromPayload(reply.error);
    return reply.data as ReplyOf<S>;
  }
}
