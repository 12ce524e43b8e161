import { createInbox, type Msg, type MsgHdrs, type NatsConnection, type Subscription } from '@nats-io/transport-node';
import { randomUUID } from 'node:crypto';

/** The header a Tessera service names itself in when it answers a request (set by NatsBus.serve). */
export const RESPONDER_HEADER = 'Tessera-Responder';

export type RequestFailure = 'timeout' | 'no_responders' | 'disconnected';

export class RequestFailed extends Error {
  constructor(readonly reason: RequestFailure) {
    super(`request failed: ${reason}`);
    this.name = 'RequestFailed';
  }
}

interface PendingRequest {
  /** The service that must answer (the one serving the subject asked), if the subject is a service's. */
  responder?: string;
  resolve: (reply: Msg) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * Request/reply over one wildcard inbox subscription per connection, as nats.js does inside `request()`, without its
 * per-request cost: nats.js cancels every request once answered by rejecting it with a new Error, a stack capture
 * for each request that succeeded (~4% of the token endpoint's CPU). Replies and no-responders (an empty 503 from
 * the server) are told apart as nats.js does.
 *
 * Each request's reply subject ends in a random token, not a counter: a service sees the reply subjects of the
 * requests sent to it, and with a counter could predict the next one and have another service's answer to a question
 * of its own delivered there. A reply naming another responder than the service asked is ignored (ADR 0028).
 */
export class ReplyMux {
  private readonly pending = new Map<string, PendingRequest>();
  private readonly prefix: string;
  readonly subscription: Subscription;

  /** `inboxPrefix` must be the connection's own (a secured bus lets a service subscribe to its own inbox only). */
  constructor(
    private readonly connection: NatsConnection,
    inboxPrefix?: string,
    /** Told of each reply ignored because another service than the one asked sent it. */
    private readonly onForeignReply: (expected: string, got: string | undefined) => void = () => undefined,
  ) {
    this.prefix = `${createInbox(inboxPrefix)}.`;
    this.subscription = connection.subscribe(`${this.prefix}*`, { callback: (_error, msg) => this.settle(msg) });
  }

  request(subject: string, data: Uint8Array, timeoutMs: number, headers?: MsgHdrs, responder?: string): Promise<Msg> {
    const token = randomUUID();
    return new Promise<Msg>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(token);
        reject(new RequestFailed('timeout'));
      }, timeoutMs);
      this.pending.set(token, { responder, resolve, reject, timer });
      try {
        this.connection.publish(subject, data, { reply: this.prefix + token, headers });
      } catch (error) {
        clearTimeout(timer);
        this.pending.delete(token);
        reject(error as Error);
      }
    });
  }

  /** Fails every request still waiting (the connection is closing). */
  close(): void {
    for (const { reject, timer } of this.pending.values()) {
      clearTimeout(timer);
      reject(new RequestFailed('disconnected'));
    }
    this.pending.clear();
  }

  private settle(msg: Msg): void {
    const token = msg.subject.slice(this.prefix.length);
    const request = this.pending.get(token);
    if (!request) return; // late: it has timed out already
    // The server's own "no responders" names no responder; any other reply must come from the service asked.
    const noResponders = msg.data.length === 0 && msg.headers?.code === 503;
    if (!noResponders && request.responder) {
      const got = msg.headers?.get(RESPONDER_HEADER) || undefined;
      if (got !== request.responder) return this.onForeignReply(request.responder, got);
    }
    this.pending.delete(token);
    clearTimeout(request.timer);
    if (noResponders) request.reject(new RequestFailed('no_responders'));
    else request.resolve(msg);
  }
}
