import { EVENT_SUBJECTS } from './subjects.js';

const EVENT_PREFIX = EVENT_SUBJECTS.replace(/>$/, '');

/** How an event's type reads outside the bus (webhooks, the event history): its subject after `tessera.events.`. */
export function eventTypeOf(subject: string): string {
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
 * Whether the event on `subject` is one of `patterns`: a pattern matches the type with its owner (`auth.token.revoked`)
 * or without (`token.revoked`), `*` standing for any run of characters: `token.*` is every token event of any owner,
 * `auth.*` every auth-server event.
 */
export function matchesEventTypes(patterns: readonly string[], subject: string): boolean {
  const type = eventTypeOf(subject);
  const withoutOwner = type.slice(type.indexOf('.') + 1);
  return patterns.some((pattern) => {
    const expression = globToRegExp(pattern);
    return expression.test(type) || expression.test(withoutOwner);
  });
}

/** An event type pattern as written in a webhook's `eventTypes` or the history's `types`. */
export const EVENT_TYPE_PATTERN = /^[a-z0-9_.*-]{1,200}$/;
