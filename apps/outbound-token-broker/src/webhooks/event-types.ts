import { isAuditEvent, matchesEventTypes } from '@tessera/contracts';

/**
 * Whether an endpoint listening to `patterns` wants the event on `subject`. Audit lines are never sent: they name
 * people and addresses, and the audit log has its own export for whoever may read them.
 */
export function wantsEvent(patterns: readonly string[], subject: string): boolean {
  return !isAuditEvent(subject) && matchesEventTypes(patterns, subject);
}
