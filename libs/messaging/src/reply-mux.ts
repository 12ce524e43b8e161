import { createInbox, type Msg, type MsgHdrs, type NatsConnection, type Subscription } from '@nats-io/transport-node';

export type RequestFailure = 'timeout' | 'no_responders' | 'disconnected';

export class RequestFailed extends Error {
  constructor(readonly reason: RequestFailure) {
    super(`request failed: ${reason}`);
    this.name = 'RequestFailed';
  }
}

interface PendingRequest {
  resolve: (reply: Msg) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * Request/reply over one wildcard inbox subscription per connection, as nats.js does inside `request()`, without its
 * per-request cost: nats.js cancels every request once answered by rejecting it with a new Error, a stack capture
 * for each request that succeeded (~4% of the token endpoint's CPU). Replies and no-responders (an empty 503 from
 * the server) are told apart as nats.js does.
 */
export class ReplyMux {
  private readonly pending = new Map<string, PendingRequest>();
  private readonly prefix: string;
  private nextToken = 0;
  readonly subscription: Subscription;

  /** `inboxPrefix` must be the connection's own (a secured bus lets a service subscribe to its own inbox only). */
  constructor(
    private readonly connection: NatsConnection,
    inboxPrefix?: string,
  ) {
    this.prefix = `${createInbox(inboxPrefix)}.`;
    this.subscription = connection.subscribe(`${this.prefix}*`, { callback: (_error, msg) => this.settle(msg) });
  }

  request(subject: string, data: Uint8Array, timeoutMs: number, headers?: MsgHdrs): Promise<Msg> {
    const token = (this.nextToken++).toString(36);
    return new Promise<Msg>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(token);
        reject(new RequestFailed('timeout'));
      }, timeoutMs);
      this.pending.set(token, { resolve, reject, timer });
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
    this.pending.delete(token);
    clearTimeout(request.timer);
    if (msg.data.length === 0 && msg.headers?.code === 503) request.reject(new RequestFailed('no_responders'));
    else request.resolve(msg);
  }
}
