import { CAEP_EVENT_TYPES, type IntegrationChangedEvent, type TokenRevokedEvent } from '@tessera/contracts';
import { describe, expect, it } from 'vitest';
import { integrationChanged, sessionRevoked } from './caep-events.js';
import { pushBackoffMs } from './ssf-delivery.js';
import { subjectKey, subjectKeys } from './ssf-subjects.js';

const ISSUER = 'https://tessera.example';
const revoked = (fields: Partial<TokenRevokedEvent>): TokenRevokedEvent => ({
  clientId: 'app_1',
  reason: 'admin',
  revokedAt: '2026-12-07T10:00:00.000Z',
  expiresAt: '2026-12-08T10:00:00.000Z',
  ...fields,
});
const change = (fields: Partial<IntegrationChangedEvent>): IntegrationChangedEvent => ({
  integrationId: 'i',
  applicationId: 'app_1',
  name: 'crm',
  enabled: true,
  permissions: ['*:orgs=read'],
  change: 'updated',
  revision: 2,
  ...fields,
});

describe('CAEP events from platform events', () => {
  it('a revoked grant is a session-revoked about the application and the session', () => {
    const event = sessionRevoked('e1', revoked({ familyId: 'fam-1', reason: 'refresh_token_reuse' }), ISSUER);
    expect(event.type).toBe(CAEP_EVENT_TYPES.sessionRevoked);
    expect(event.subId).toEqual({ format: 'complex', application: { format: 'opaque', id: 'app_1' }, session: { format: 'opaque', id: 'fam-1' } });
    expect(event.keys).toEqual(['opaque:app_1', 'opaque:fam-1']);
    expect(event.payload).toEqual({ event_timestamp: 1796637600, initiating_entity: 'policy', reason_admin: { en: 'A rotated refresh token was used again' } });
    expect(event.txn).toBe('e1');
  });

  it('one revoked access token is named by its jwt_id; a client-wide revocation by the client', () => {
    expect(sessionRevoked('e', revoked({ jti: 'j1', reason: 'api' }), ISSUER)).toMatchObject({
      subId: { format: 'jwt_id', iss: ISSUER, jti: 'j1' },
      keys: ['opaque:app_1', `jwt_id:${ISSUER} j1`],
      payload: { initiating_entity: 'user' },
    });
    expect(sessionRevoked('e', revoked({ reason: 'integration_disabled' }), ISSUER)).toMatchObject({
      subId: { format: 'opaque', id: 'app_1' },
      keys: ['opaque:app_1'],
    });
  });

  it('a rotated secret is a credential-change; narrowed permissions a token-claims-change; other changes nothing', () => {
    const at = '2026-12-07T10:00:00.000Z';
    expect(integrationChanged('e', change({ change: 'secret_rotated', previousSecretValidUntil: null }), at)).toMatchObject({
      type: CAEP_EVENT_TYPES.credentialChange,
      subId: { format: 'opaque', id: 'app_1' },
      payload: { credential_type: 'password', change_type: 'update', event_timestamp: 1796637600 },
    });
    expect(integrationChanged('e', change({ previous: { enabled: true, permissions: ['*:orgs=read', '*:users=read'] } }), at)).toMatchObject({
      type: CAEP_EVENT_TYPES.tokenClaimsChange,
      payload: { claims: { scope: '*:orgs=read' } },
    });
    expect(integrationChanged('e', change({ previous: { enabled: true, permissions: [] } }), at)).toBeUndefined();
    expect(integrationChanged('e', change({ change: 'created' }), at)).toBeUndefined();
  });
});

describe('subjects a stream names', () => {
  it('keys the formats a receiver may add; a complex subject needs all of its members', () => {
    expect(subjectKeys({ format: 'opaque', id: 'app_1' })).toEqual(['opaque:app_1']);
    expect(subjectKeys({ format: 'jwt_id', iss: ISSUER, jti: 'j' })).toEqual([`jwt_id:${ISSUER} j`]);
    expect(subjectKey({ format: 'complex', session: { format: 'opaque', id: 'f' }, application: { format: 'opaque', id: 'a' } })).toBe('opaque:a|opaque:f');
  });

  it('refuses formats it cannot match and subjects missing their members', () => {
    expect(() => subjectKeys({ format: 'email', email: 'a@b.example' })).toThrow(/format must be opaque, jwt_id or complex/);
    expect(() => subjectKeys({ format: 'opaque' })).toThrow(/subject.id is required/);
    expect(() => subjectKeys({ format: 'complex' })).toThrow(/must name an application, session, user or tenant/);
    expect(() => subjectKeys({ format: 'opaque', id: 'x'.repeat(501) })).toThrow();
  });
});

describe('push retries', () => {
  it('double from 2 s, with jitter in the upper half, up to an hour', () => {
    expect(pushBackoffMs(0, 0)).toBe(1_000);
    expect(pushBackoffMs(0, 1)).toBe(2_000);
    expect(pushBackoffMs(3, 1)).toBe(16_000);
    expect(pushBackoffMs(30, 1)).toBe(3_600_000);
  });
});
