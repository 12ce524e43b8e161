import {
  AUDIT_RECORDED,
  isSecretField,
  type AuditChanges,
  type AuditOutcome,
  type AuditRecordedEvent,
  type AuditTarget,
  type EventOwner,
} from '@tessera/contracts';
import { currentRequestContext } from '@tessera/observability';
import type { DataSource, EntityManager } from 'typeorm';
import type { EventOutbox } from './outbox.js';

export interface AuditEntry {
  action: string;
  target: AuditTarget;
  outcome?: AuditOutcome;
  /** The thing as an admin reads it before and after the change (views, never raw rows): only changed fields are kept. */
  before?: object | null;
  after?: object | null;
  detail?: AuditRecordedEvent['detail'];
  /** Who did it, when the request itself cannot say yet (a sign-in: the caller is known once the password checked). */
  actor?: AuditRecordedEvent['actor'];
}

/**
 * Fields whose values never enter the audit log, even if a caller passes them: only that they changed. Views hold no
 * secrets to begin with; this is the second lock. What the contracts mark `@Secret()` is secret, and what they
 * declare unmarked is shown (a setting such as `clientCredentialsTokensPerHour`); only a name no shape declares is
 * judged by its name, the careful way.
 */
const SECRET_NAME = /secret|password|passwd|credential|private|token$|hash|seal|^code$|verifier|cookie|authorization/i;
const isSecret = (field: string) => isSecretField(field) ?? SECRET_NAME.test(field);
export const CHANGED = '[changed]';

/** What changed between two views: each differing field's before and after, secrets reduced to "[changed]". */
export function auditChanges(before?: object | null, after?: object | null): AuditChanges | undefined {
  const b = (before ?? {}) as Record<string, unknown>;
  const a = (after ?? {}) as Record<string, unknown>;
  const changes: AuditChanges = {};
  for (const field of new Set([...Object.keys(b), ...Object.keys(a)])) {
    if (isEqual(b[field], a[field])) continue;
    if (isSecret(field) && !(isFlag(b[field]) && isFlag(a[field]))) {
      changes[field] = { after: CHANGED };
      continue;
    }
    changes[field] = { ...(field in b ? { before: scrub(b[field]) } : {}), ...(field in a ? { after: scrub(a[field]) } : {}) };
  }
  return Object.keys(changes).length ? changes : undefined;
}

/** Nested objects (a provider's extra parameters, an instance's auth) lose their secret fields too. */
function scrub(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(scrub);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, isSecret(k) && !isFlag(v) ? CHANGED : scrub(v)]));
  }
  return value;
}

/** Whether a secret is set (`hasPassword`, `mustChangePassword`) says nothing of it: such flags are kept. */
function isFlag(value: unknown): boolean {
  return typeof value === 'boolean' || value === undefined;
}

function isEqual(x: unknown, y: unknown): boolean {
  return JSON.stringify(x) === JSON.stringify(y);
}

/**
 * Records admin actions and security events for the audit log (ADR 0023): an `audit.recorded` event in the outbox,
 * inside the transaction of the change it describes, so a change never commits without its line nor a line without
 * its change. The actor, address and request id come from the request the service is serving (set by the gateway).
 */
export class AuditTrail {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: EventOutbox,
    private readonly service: string,
  ) {}

  async record(manager: EntityManager, entry: AuditEntry): Promise<void> {
    const subject = AUDIT_RECORDED[this.service as EventOwner];
    if (!subject) throw new Error(`${this.service} publishes no audit events`);
    await this.outbox.record<AuditRecordedEvent>(manager, subject, this.event(entry));
  }

  /**
   * For what changes no row (a failed sign-in, a rate limit met, a provider test): its own small transaction, committed
   * before the caller answers, so the record is as durable as any change.
   */
  async recordAlone(entry: AuditEntry): Promise<void> {
    await this.dataSource.transaction((manager) => this.record(manager, entry));
    void this.outbox.flush();
  }

  private event(entry: AuditEntry): AuditRecordedEvent {
    const context = currentRequestContext();
    const changes = auditChanges(entry.before, entry.after);
    return {
      action: entry.action,
      outcome: entry.outcome ?? 'success',
      target: entry.target,
      actor: entry.actor ?? context?.actor ?? null,
      // The gateway's statement holds for the request's actor only, not for one the service names itself.
      ...(!entry.actor && context?.actor && context.actorProof ? { actorProof: context.actorProof } : {}),
      address: context?.address ?? null,
      requestId: context?.requestId ?? null,
      clientRequestId: context?.clientRequestId ?? null,
      ...(changes ? { changes } : {}),
      ...(entry.detail ? { detail: entry.detail } : {}),
    };
  }
}
