import type { EventEnvelope, ReplayedEventPage, ReplayEventsQuery } from '@tessera/contracts';
import type { Logger } from '@tessera/observability';
import { STORED_AT_HEADER, type MessageHeaders } from './bus.js';
import { envelopeProblem, judgeFailure, payloadHead, type DeadLetterSink } from './consumer-policy.js';

/** Tries of one replayed event within a pass before the pass stops (and is taken up again at the next check). */
const TRIES_PER_PASS = 5;

/** The stream's first stored sequence and the consumer's acknowledged floor (undefined: the consumer is gone). */
export interface Positions {
  firstSequence: number;
  ackFloor: number | undefined;
}

export interface CatchUpOptions {
  /** The durable consumer, as named on the server. */
  consumer: string;
  /** Its subject, unprefixed. */
  subject: string;
  /** The stream's first stored sequence and the consumer's acknowledged floor; `ackFloor` undefined: the consumer is gone. */
  positions(): Promise<Positions>;
  /** Asks the subject's owner for its published events (`tessera.<owner>.events.replay`). */
  replay(query: ReplayEventsQuery): Promise<ReplayedEventPage>;
  /** The consumer's own handler, as for a delivery. */
  handle(event: EventEnvelope, headers: MessageHeaders): Promise<void>;
  /** The consumer is gone from the server (a lost stream or node): make it again; its first check replays what it missed. */
  recreate(): Promise<void>;
  onDeadLetter?: DeadLetterSink;
  logger: Logger;
}

/**
 * A durable consumer's guard against the stream's retention (ADR 0038). JetStream skips what a limit discarded
 * without telling the consumer; so this compares the consumer's acknowledged floor with the stream's first stored
 * event, and when events in between are gone asks their owner for them (from its outbox, by stream sequence) and
 * hands them to the handler in order. The inbox behind every handler makes a second delivery harmless.
 */
export class RetentionCatchUp {
  /** Every event of the subject up to this stream sequence has been handled (the server's ack floor may lag it). */
  private caughtUpTo = 0;
  private running?: Promise<number>;
  private readonly tries = new Map<string, number>();

  constructor(private readonly options: CatchUpOptions) {}

  /** Where the stream and the consumer stand now. */
  positions(): Promise<Positions> {
    return this.options.positions();
  }

  /**
   * One check (and replay if needed), from `positions` when given (read before the consumer took anything), else from
   * where things stand now; resolves with the number of events replayed. Concurrent calls share one pass.
   */
  check(positions?: Positions): Promise<number> {
    this.running ??= this.pass(positions).finally(() => (this.running = undefined));
    return this.running;
  }

  /** Resolves once no pass is running (for a clean stop). */
  async idle(): Promise<void> {
    await this.running?.catch(() => undefined);
  }

  private async pass(given?: Positions): Promise<number> {
    const { consumer, subject, logger } = this.options;
    const { firstSequence, ackFloor } = given ?? (await this.options.positions());
    if (ackFloor === undefined) {
      logger.warn({ consumer }, 'durable consumer is gone from the server; making it again');
      this.caughtUpTo = 0;
      await this.options.recreate();
      return 0;
    }
    const floor = Math.max(ackFloor, this.caughtUpTo);
    // Sequences before the first stored one were discarded: those after our floor may have been this consumer's.
    if (firstSequence - 1 <= floor) return 0;
    logger.warn(
      { consumer, missed: { from: floor + 1, to: firstSequence - 1 } },
      "durable consumer fell behind the stream's retention; catching up from the owner's outbox",
    );
    let after = floor;
    let replayed = 0;
    for (;;) {
      const page = await this.options.replay({ subject, afterSequence: after, beforeSequence: firstSequence });
      for (const event of page.events) {
        if (event.sequence <= after || event.sequence >= firstSequence) continue;
        await this.deliver(event);
        after = event.sequence;
        this.caughtUpTo = after;
        replayed++;
      }
      if (!page.more || !page.events.length) break;
    }
    this.caughtUpTo = Math.max(this.caughtUpTo, firstSequence - 1);
    logger.info({ consumer, replayed }, 'durable consumer caught up');
    return replayed;
  }

  private async deliver(replayed: ReplayedEventPage['events'][number]): Promise<void> {
    const { id, type, occurredAt, data, headers, publishedAt } = replayed;
    const event: EventEnvelope = { id, type, occurredAt, data };
    // The same check as for a delivery: the owner answers for its own subject, in a well-formed envelope.
    const problem = envelopeProblem(event, this.options.subject);
    if (problem) return this.setAside(event, 'malformed', problem, 1);
    for (;;) {
      const attempt = (this.tries.get(id) ?? 0) + 1;
      this.tries.set(id, attempt);
      try {
        await this.options.handle(event, { ...headers, [STORED_AT_HEADER]: publishedAt });
        this.tries.delete(id);
        return;
      } catch (err) {
        const verdict = judgeFailure(err, attempt);
        if (verdict.kind === 'dead') {
          this.tries.delete(id);
          return this.setAside(event, verdict.reason, verdict.detail, attempt);
        }
        if (attempt % TRIES_PER_PASS === 0) throw err;
        await new Promise((resolve) => setTimeout(resolve, Math.min(verdict.delayMs, 2_000)));
      }
    }
  }

  private async setAside(event: EventEnvelope, reason: 'malformed' | 'rejected' | 'failed', detail: string, deliveries: number): Promise<void> {
    const { consumer, subject, logger } = this.options;
    logger.warn({ consumer, subject, eventId: event.id, reason, detail }, 'replayed event set aside (dead letter)');
    await this.options
      .onDeadLetter?.({ consumer, subject, eventId: event.id, reason, detail, deliveries, payload: payloadHead(JSON.stringify(event)) })
      .catch((err: unknown) => logger.error({ consumer, eventId: event.id, error: String((err as Error)?.message ?? err) }, 'could not record a dead letter'));
  }
}
