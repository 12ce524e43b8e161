import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { DrillEnvironment } from './environment.js';

const STREAM = 'TESSERA_EVENTS';
const SCHEMAS = ['auth', 'registry', 'broker'];

export interface EventAudit {
  /** Outbox rows (every service's) recorded so far. */
  recorded: number;
  /** Envelope ids that are in the stream more than once. */
  duplicated: number;
  /** Outbox rows whose event never reached the stream (still pending after the settle time, or published but absent). */
  missing: number;
}

/**
 * Compares what the services recorded (their outboxes) with what the stream holds: every recorded event must be in
 * the stream exactly once. Reads the whole stream with an ordered consumer; fine at drill sizes (tens of thousands).
 */
export async function auditEvents(environment: DrillEnvironment, settleMs = 10_000): Promise<EventAudit> {
  const deadline = Date.now() + settleMs;
  let rows: { id: string; published: boolean }[] = [];
  for (;;) {
    rows = [];
    for (const schema of SCHEMAS) {
      const found = await environment.query<{ id: string; published: boolean }>(`SELECT id, published_at IS NOT NULL AS published FROM "${schema}".outbox_event`);
      rows.push(...(found ?? []));
    }
    if (rows.every((r) => r.published) || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const connection = await environment.connectBus();
  try {
    const jsm = await jetstreamManager(connection);
    const info = await jsm.streams.info(STREAM);
    const seen = new Map<string, number>();
    if (info.state.messages > 0) {
      const consumer = await jetstream(connection).consumers.get(STREAM);
      const messages = await consumer.consume();
      for await (const message of messages) {
        const id = (message.json() as { id?: string }).id ?? '';
        seen.set(id, (seen.get(id) ?? 0) + 1);
        if (message.info.pending === 0 || message.seq >= info.state.last_seq) break;
      }
      await messages.close();
    }
    return {
      recorded: rows.length,
      duplicated: [...seen.values()].filter((n) => n > 1).length,
      missing: rows.filter((r) => !r.published || !seen.has(r.id)).length,
    };
  } finally {
    await connection.close();
  }
}
