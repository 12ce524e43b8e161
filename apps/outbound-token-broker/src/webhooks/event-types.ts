import { EVENT_SUBJECTS, isAuditEvent } from '@tessera/contracts';

const EVENT_PREFIX = EVENT_SUBJECTS.replace(/>$/, '');

/** How an event's type reads to a webhook endpoint: its subject after `tessera.events.` (`auth.token.revoked`). */
export function webhookEventType(subject: string): string {
  return subject.startsWith(EVENT_PREFIX) ? subject.slice(EVENT_PREFIX.length) : subject;
}

function globToRegExp(pattern: string): RegExp {
  return new RegExp(
    `^${pattern
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\-]/g, '\\$&'))
      .join('.*')}$`,
  );
}

/**
 * Whether an endpoint listening to `patterns` wants the event on `subject`. A pattern matches the type with its owner
 * (`auth.token.revoked`) or without (`token.revoked`), `*` any run of characters: `token.*` is every token event,
 * `auth.*` every auth-server event. Audit lines are never sent: they name people and addresses, and the audit log has
 * its own export for whoever may read them.
 */
export function wantsEvent(patterns: readonly string[], subject: string): boolean {
  if (isAuditEvent(subject)) return false;
  const type = webhookEventType(subject);
  const withoutOwner = type.slice(type.indexOf('.') + 1);
  return patterns.some((pattern) => {
    const expression = globToRegExp(pattern);
    return expression.test(type) || expression.test(withoutOwner);
  });
}
