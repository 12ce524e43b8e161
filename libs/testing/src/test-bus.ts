import type { TesseraConfig } from '@tessera/config';
import type { EventEnvelope } from '@tessera/contracts';
import { NatsBus } from '@tessera/messaging';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { testLogger } from './test-config.js';

/** Watches every event a platform publishes (a plain NATS subscription on its prefixed event subjects). */
export class EventWatcher {
  readonly events: EventEnvelope[] = [];
  private waiters: { predicate: (e: EventEnvelope) => boolean; resolve: (e: EventEnvelope) => void }[] = [];

  private constructor(private readonly connection: NatsConnection) {}

  static async start(config: TesseraConfig): Promise<EventWatcher> {
    const connection = await connect({ servers: config.natsUrl!.split(',') });
    const watcher = new EventWatcher(connection);
    const prefix = config.subjectPrefix ? `${config.subjectPrefix}.` : '';
    connection.subscribe(`${prefix}tessera.events.>`, {
      callback: (_err, msg) => {
        const event = JSON.parse(new TextDecoder().decode(msg.data)) as EventEnvelope;
        watcher.events.push(event);
        watcher.waiters = watcher.waiters.filter((w) => (w.predicate(event) ? (w.resolve(event), false) : true));
      },
    });
    await connection.flush();
    return watcher;
  }

  /** Resolves with the first event (seen already or arriving) matching `predicate`; rejects after `timeoutMs`. */
  waitFor(predicate: (e: EventEnvelope) => boolean, timeoutMs = 5000): Promise<EventEnvelope> {
    const seen = this.events.find(predicate);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no matching event within ${timeoutMs} ms; saw ${this.events.map((e) => e.type).join(', ') || 'none'}`)),
        timeoutMs,
      );
      this.waiters.push({
        predicate,
        resolve: (e) => {
          clearTimeout(timer);
          resolve(e);
        },
      });
    });
  }

  async stop(): Promise<void> {
    await this.connection.drain();
  }
}

/** A bus connection of the test's own on a platform's NATS and subject prefix (what a service would publish through). */
export async function connectTestBus(config: TesseraConfig, name: string): Promise<NatsBus> {
  const bus = new NatsBus({ servers: config.natsUrl!, subjectPrefix: config.subjectPrefix, name, logger: testLogger() });
  await bus.connect();
  return bus;
}

/** Removes a test run's JetStream stream. */
export async function deleteEventStream(config: TesseraConfig): Promise<void> {
  const bus = await connectTestBus(config, 'test-cleanup');
  await bus.deleteStream();
  await bus.close();
}
