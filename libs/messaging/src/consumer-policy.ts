import { BusError, EVENT_PAYLOADS, EventEnvelopeMessage, type DeadLetterReason, type EventEnvelope } from '@tessera/contracts';
import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { isOutage } from './bus.js';

/**
 * How many times the server delivers one event to a durable consumer, whatever happens. Finite, so nothing is
 * redelivered for ever; high enough (with the back-off below, hours) that a dependency outage does not use it up.
 */
export const MAX_DELIVERIES = 500;
/** A handler that fails this many times for a reason other than an outage will fail again: the event is set aside. */
export const MAX_HANDLER_FAILURES = 5;
/** How much of a dead message is kept for the operator to read. */
const PAYLOAD_KEPT = 4_096;

/** A message a durable consumer could not process and set aside (terminated on the bus, recorded for an operator). */
export interface DeadLetter {
  /** The durable consumer that gave up on it. */
  consumer: string;
  /** The subject it arrived on (unprefixed). */
  subject: string;
  /** Its envelope's id and type when it had them. */
  eventId: string | null;
  reason: DeadLetterReason;
  /** What was wrong, in one line. */
  detail: string;
  /** How many times it was delivered. */
  deliveries: number;
  /** The message as received, cut to a few KB. */
  payload: string;
}

/** Where a consumer records what it sets aside; a failure to record is logged and the message terminated anyway. */
export type DeadLetterSink = (letter: DeadLetter) => Promise<void>;

/**
 * Why a message cannot be an event on `subject`, or undefined when it is a well-formed envelope for it whose `data`
 * fits its kind's contracts class (`EVENT_PAYLOADS`). Fields a class does not declare are let through: a newer
 * publisher may add one during a rolling upgrade, and a handler reads only what it knows. A subject no contract names
 * (only reachable on an unsecured bus) has nothing to check its data against.
 */
export function envelopeProblem(value: unknown, subject: string): string | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return 'not a JSON object';
  const errors = validateSync(plainToInstance(EventEnvelopeMessage, value), { forbidUnknownValues: true });
  if (errors.length) return describe(errors);
  // A consumer routes by type: an envelope whose type is not its subject would reach a handler of another kind.
  if ((value as EventEnvelope).type !== subject) return `type ${(value as EventEnvelope).type} published on ${subject}`;
  const payload = EVENT_PAYLOADS.get(subject);
  if (!payload) return undefined;
  const dataErrors = validateSync(plainToInstance(payload, (value as EventEnvelope).data), { forbidUnknownValues: true });
  return dataErrors.length ? `data: ${describe(dataErrors)}` : undefined;
}

function describe(errors: ValidationError[], path = ''): string {
  return errors
    .map((e) => {
      const at = path ? `${path}.${e.property}` : e.property;
      if (e.children?.length && !e.constraints) return describe(e.children, at);
      return `${Object.values(e.constraints ?? {}).join(', ') || `${at} is invalid`}${path ? ` (at ${at})` : ''}`;
    })
    .join('; ')
    .slice(0, 500);
}

export function payloadHead(text: string): string {
  return text.length > PAYLOAD_KEPT ? `${text.slice(0, PAYLOAD_KEPT)}…` : text;
}

export type FailureVerdict =
  { kind: 'retry'; delayMs: number; quiet: boolean } | { kind: 'dead'; reason: Exclude<DeadLetterReason, 'malformed'>; detail: string };

/**
 * What to do after a handler threw on its `deliveries`-th delivery. An outage waits (back-off) for as long as the
 * server delivers; a refusal of the content (`validation_failed`) will never succeed; anything else gets a few tries.
 * Only the first failure of an event is logged in full: redeliveries of the same failure say nothing new.
 */
export function judgeFailure(error: unknown, deliveries: number, maxDeliveries = MAX_DELIVERIES): FailureVerdict {
  const detail = String((error as Error)?.message ?? error).slice(0, 500);
  if (error instanceof BusError && error.code === 'validation_failed') return { kind: 'dead', reason: 'rejected', detail };
  const outage = isOutage(error);
  if (deliveries >= maxDeliveries || (!outage && deliveries >= MAX_HANDLER_FAILURES)) return { kind: 'dead', reason: 'failed', detail };
  return { kind: 'retry', delayMs: Math.min(30_000, 500 * 2 ** Math.min(deliveries, 6)), quiet: outage || deliveries > 1 };
}
