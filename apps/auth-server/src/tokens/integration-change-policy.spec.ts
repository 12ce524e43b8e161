import type { IntegrationChangedEvent } from '@tessera/contracts';
import { describe, expect, it } from 'vitest';
import { revocationFor } from './integration-change-policy.js';

const base: IntegrationChangedEvent = {
  integrationId: 'i',
  applicationId: 'app',
  name: 'crm',
  enabled: true,
  permissions: ['*:orgs=read', 'acme:users=read'],
  change: 'updated',
  revision: 2,
};

describe('what auth-server revokes for an integration change', () => {
  it('revokes everything when the integration is deleted or disabled, or loses a permission', () => {
    expect(revocationFor({ ...base, change: 'deleted' })).toEqual({ reason: 'integration_deleted', accessTokensOnly: false });
    expect(revocationFor({ ...base, enabled: false, previous: { enabled: true, permissions: base.permissions } })).toEqual({
      reason: 'integration_disabled',
      accessTokensOnly: false,
    });
    expect(revocationFor({ ...base, permissions: ['acme:orgs=read'], previous: { enabled: true, permissions: base.permissions } })).toEqual({
      reason: 'permissions_narrowed',
      accessTokensOnly: false,
    });
  });

  it('revokes nothing for a change that takes nothing away', () => {
    expect(revocationFor({ ...base, change: 'created' })).toBeUndefined();
    expect(revocationFor({ ...base, name: 'renamed', previous: { enabled: true, permissions: base.permissions } })).toBeUndefined();
    // Wider permissions cover all the old ones; an integration disabled before stays so.
    expect(
      revocationFor({ ...base, permissions: ['*:orgs=read', '*:users=read'], previous: { enabled: true, permissions: base.permissions } }),
    ).toBeUndefined();
    expect(revocationFor({ ...base, enabled: false, previous: { enabled: false, permissions: base.permissions } })).toBeUndefined();
  });

  it('revokes only the access tokens of a secret replaced without grace, and nothing while the old secret still works', () => {
    expect(revocationFor({ ...base, change: 'secret_rotated', previousSecretValidUntil: null })).toEqual({ reason: 'secret_rotated', accessTokensOnly: true });
    expect(revocationFor({ ...base, change: 'secret_rotated', previousSecretValidUntil: '2026-12-01T12:00:00.000Z' })).toBeUndefined();
  });

  it('honours the verdict an event recorded before the change carried facts', () => {
    expect(revocationFor({ ...base, revokeTokens: true, reason: 'permissions_narrowed' } as IntegrationChangedEvent)).toEqual({
      reason: 'permissions_narrowed',
      accessTokensOnly: false,
    });
    expect(
      revocationFor({ ...base, change: 'secret_rotated', revokeTokens: true, reason: 'secret_rotated', accessTokensOnly: true } as IntegrationChangedEvent),
    ).toEqual({ reason: 'secret_rotated', accessTokensOnly: true });
    expect(revocationFor({ ...base, revokeTokens: false } as IntegrationChangedEvent)).toBeUndefined();
  });
});
