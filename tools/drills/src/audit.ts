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
  /** A few of the missing ones (schema, type, whether the outbox marked it published), to start looking from. */
  missingSamples: string[];
}

/**
 * Compares what the services recorded (their outboxes) with what the stream holds: every recorded event must be in
 * the stream exactly once. Reads the whole stream with an ordered consumer; fine at drill sizes (tens of thousands).
 */
export async function auditEvents(environment: DrillEnvironment, settleMs = 30_000): Promise<EventAudit> {
  const deadline = Date.now() + settleMs;
  let rows: { id: string; type: string; published: boolean; schema: string }[] = [];
  for (;;) {
    rows = [];
    for (const schema of SCHEMAS) {
      const found = await environment.query<{ id: string; type: string; published: boolean }>(
        `SELECT id, type, published_at IS NOT NULL AS published FROM "${schema}".outbox_event`,
      );
      rows.push(...(found ?? []).map((r) => ({ ...r, schema })));
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
      // Filtered on the event subjects: on a secured bus the drills read as the gateway, whose watch consumers must filter.
      const consumer = await jetstream(connection).consumers.get(STREAM, { filter_subjects: 'tessera.events.>' });
      const messages = await consumer.consume();
      // Bounded: a read that stalls reports what it saw rather than hanging the drills.
      const stall = setTimeout(() => void messages.close(), 20_000);
      for await (const message of messages) {
        const id = (message.json() as { id?: string }).id ?? '';
        seen.set(id, (seen.get(id) ?? 0) + 1);
        if (message.seq >= info.state.last_seq) break;
      }
      clearTimeout(stall);
      await messages.close();
    }
    const missing = rows.filter((r) => !r.published || !seen.has(r.id));
    return {
      recorded: rows.length,
      duplicated: [...seen.values()].filter((n) => n > 1).length,
      missing: missing.length,
      missingSamples: missing
        .slice(0, 3)
        .map((r) => `${r.schema} ${r.type} ${r.published ? 'marked published, not in the stream' : 'still pending in the outbox'}`),
    };
  } finally {
    await connection.close();
  }
}
