import { BusError } from '@tessera/contracts';

/** A subject identifier (RFC 9493, SSF 1.0 §3): a format and its members. */
export type SubjectId = Record<string, unknown>;

/** The complex-subject members a stream may name; each holds a simple subject. */
const COMPLEX_MEMBERS = ['application', 'session', 'user', 'tenant'] as const;

function simpleKey(subject: SubjectId, field: string): string {
  const text = (value: unknown, name: string) => {
    if (typeof value !== 'string' || !value || value.length > 500)
      throw new BusError('validation_failed', `${field}.${name} is required`, { [`${field}.${name}`]: 'is required' });
    return value;
  };
  if (subject.format === 'opaque') return `opaque:${text(subject.id, 'id')}`;
  if (subject.format === 'jwt_id') return `jwt_id:${text(subject.iss, 'iss')} ${text(subject.jti, 'jti')}`;
  throw new BusError('validation_failed', `${field}.format must be opaque, jwt_id or complex`, { [`${field}.format`]: 'must be opaque, jwt_id or complex' });
}

/**
 * The match keys of a subject a receiver adds: an `opaque` id (an integration's client id, a grant), a `jwt_id` (one
 * access token), or a complex subject naming several of those, each of which it then hears about.
 */
export function subjectKeys(subject: SubjectId): string[] {
  if (subject.format !== 'complex') return [simpleKey(subject, 'subject')];
  const keys = COMPLEX_MEMBERS.filter((member) => subject[member] !== undefined).map((member) => {
    const value = subject[member];
    if (!value || typeof value !== 'object')
      throw new BusError('validation_failed', `subject.${member} must be a subject`, { [`subject.${member}`]: 'must be a subject' });
    return simpleKey(value as SubjectId, `subject.${member}`);
  });
  if (!keys.length) throw new BusError('validation_failed', 'subject must name an application, session, user or tenant', { subject: 'must name a member' });
  return keys;
}

/** One key for the subject as a whole, so removing it names what was added. */
export function subjectKey(subject: SubjectId): string {
  return subjectKeys(subject).sort().join('|');
}
