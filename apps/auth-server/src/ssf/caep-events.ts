import { CAEP_EVENT_TYPES, type IntegrationChangedEvent, type TokenRevokedEvent } from '@tessera/contracts';
import { lostPermissions } from '@tessera/permissions';
import type { SubjectId } from './ssf-subjects.js';

/** One CAEP event about a subject, before it is addressed to a stream: what a SET's `sub_id` and `events` will say. */
export interface SecurityEvent {
  type: string;
  subId: SubjectId;
  /** The subject keys it concerns: a stream holding a subject made of these gets it. */
  keys: string[];
  payload: Record<string, unknown>;
  /** The platform event it comes from (the SET's `txn`). */
  txn: string;
}

type InitiatingEntity = 'admin' | 'user' | 'policy' | 'system';

const REVOCATION_CAUSE: Record<TokenRevokedEvent['reason'], [InitiatingEntity, string]> = {
  api: ['user', 'The client revoked the token (RFC 7009)'],
  refresh_token_reuse: ['policy', 'A rotated refresh token was used again'],
  code_replay: ['policy', 'An authorization code was used twice'],
  integration_disabled: ['admin', 'The integration was disabled'],
  integration_deleted: ['admin', 'The integration was deleted'],
  permissions_narrowed: ['admin', "The integration's permissions were narrowed"],
  admin: ['admin', 'An administrator revoked it'],
  secret_rotated: ['admin', "The integration's secret was replaced"],
  logout: ['user', 'The administrator signed out'],
  password_changed: ['user', "The administrator's password changed"],
  password_reset: ['admin', "The administrator's password was reset"],
  role_changed: ['admin', "The administrator's role changed"],
  user_deleted: ['admin', 'The administrator was removed'],
  session_expired: ['system', 'The session expired'],
};

const seconds = (iso: string) => Math.floor(new Date(iso).getTime() / 1000);
const opaque = (id: string): SubjectId => ({ format: 'opaque', id });

/**
 * CAEP session-revoked for a revocation: one grant (a refresh-token family, or an admin session) as a complex subject
 * of the application and the session, one access token as its `jwt_id`, or every session of a client as the client.
 */
export function sessionRevoked(eventId: string, revoked: TokenRevokedEvent, issuer: string): SecurityEvent {
  const [initiatingEntity, reason] = REVOCATION_CAUSE[revoked.reason] ?? ['system', revoked.reason];
  const client = `opaque:${revoked.clientId}`;
  let subId: SubjectId = opaque(revoked.clientId);
  let keys = [client];
  if (revoked.familyId) {
    subId = { format: 'complex', application: opaque(revoked.clientId), session: opaque(revoked.familyId) };
    keys = [client, `opaque:${revoked.familyId}`];
  } else if (revoked.jti) {
    subId = { format: 'jwt_id', iss: issuer, jti: revoked.jti };
    keys = [client, `jwt_id:${issuer} ${revoked.jti}`];
  }
  return {
    type: CAEP_EVENT_TYPES.sessionRevoked,
    subId,
    keys,
    txn: eventId,
    payload: { event_timestamp: seconds(revoked.revokedAt), initiating_entity: initiatingEntity, reason_admin: { en: reason } },
  };
}

/**
 * What an integration change tells receivers: a new secret is a credential-change, permissions taken away a
 * token-claims-change (its `scope` claim as tokens now carry it). Other changes reach them as revocations, or not at all.
 */
export function integrationChanged(eventId: string, change: IntegrationChangedEvent, occurredAt: string): SecurityEvent | undefined {
  const base = { subId: opaque(change.applicationId), keys: [`opaque:${change.applicationId}`], txn: eventId };
  const eventTimestamp = seconds(occurredAt);
  if (change.change === 'secret_rotated') {
    return {
      ...base,
      type: CAEP_EVENT_TYPES.credentialChange,
      // CAEP 1.0 lists `password` among its credential types, and an OAuth client secret is one: RFC 6749 §2.3.1 calls
      // it the client password. A CAEP-listed value is one every receiver knows, without an agreement of its own.
      payload: {
        event_timestamp: eventTimestamp,
        credential_type: 'password',
        change_type: 'update',
        initiating_entity: 'admin',
        reason_admin: {
          en: change.previousSecretValidUntil ? `Secret replaced; the old one works until ${change.previousSecretValidUntil}` : 'Secret replaced',
        },
      },
    };
  }
  if (change.change === 'updated' && change.previous && lostPermissions(change.previous.permissions, change.permissions).length) {
    return {
      ...base,
      type: CAEP_EVENT_TYPES.tokenClaimsChange,
      payload: {
        event_timestamp: eventTimestamp,
        initiating_entity: 'admin',
        reason_admin: { en: "The integration's permissions were narrowed" },
        claims: { scope: change.permissions.join(' ') },
      },
    };
  }
  return undefined;
}
