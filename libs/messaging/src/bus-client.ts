import { ClientProxy, type ReadPacket, type WritePacket } from '@nestjs/microservices';
import { BusError, type EventEnvelope } from '@tessera/contracts';
import { contextHeaders } from '@tessera/observability';
import { BusUnavailableError, type Bus } from './bus.js';

/**
 * A Nest ClientProxy over a Bus. `send(subject, payload)` resolves with the reply's data or errors with a BusError;
 * an unanswered request errors with BusError('unavailable') after the timeout instead of hanging.
 */
export class BusClient extends ClientProxy {
  constructor(private readonly bus: Bus, private readonly timeoutMs: number) {
    super();
  }

  async connect(): Promise<void> {
    await this.bus.connect();
  }

  async close(): Promise<void> {
    // The bus outlives its clients; its owner closes it.
  }

  unwrap<T>(): T {
    return this.bus as T;
  }

  protected publish(packet: ReadPacket, callback: (packet: WritePacket) => void): () => void {
    let disposed = false;
    this.bus
      .request(String(packet.pattern), packet.data, { timeoutMs: this.timeoutMs, headers: contextHeaders() })
      .then((reply) => {
        if (disposed) return;
        if (reply.ok) callback({ response: reply.data, isDisposed: true });
        else callback({ err: BusError.fromPayload(reply.error), isDisposed: true });
      })
      .catch((error) => {
        if (disposed) return;
        const err = error instanceof BusUnavailableError ? new BusError('unavailable', error.message, { subject: error.subject }) : error;
        callback({ err, isDisposed: true });
      });
    return () => {
      disposed = true;
    };
  }

  protected async dispatchEvent<T = undefined>(packet: ReadPacket<EventEnvelope>): Promise<T> {
    await this.bus.publish(packet.data, contextHeaders());
    return undefined as T;
  }

  protected serializeError(err: unknown) {
    return err;
  }
}
