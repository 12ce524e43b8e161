import { describe, expect, it } from 'vitest';
import { auditChanges, CHANGED } from './audit-trail.js';

describe('auditChanges', () => {
  it('keeps only the fields that changed, with their before and after', () => {
    expect(auditChanges({ name: 'a', enabled: true, permissions: ['x'] }, { name: 'b', enabled: true, permissions: ['x', 'y'] })).toEqual({
      name: { before: 'a', after: 'b' },
      permissions: { before: ['x'], after: ['x', 'y'] },
    });
    expect(auditChanges({ name: 'a' }, { name: 'a' })).toBeUndefined();
    expect(auditChanges(undefined, { name: 'a' })).toEqual({ name: { after: 'a' } });
    expect(auditChanges({ name: 'a' }, null)).toEqual({ name: { before: 'a' } });
  });

  it('never carries a secret value, at the top or nested, only that it changed; flags about secrets stay', () => {
    const changes = auditChanges(
      { clientSecret: 'old-secret', auth: { type: 'password', password: 'p1' }, hasPassword: false, refresh_token: 'r1' },
      { clientSecret: 'new-secret', auth: { type: 'password', password: 'p2' }, hasPassword: true, refresh_token: 'r2' },
    );
    expect(changes).toEqual({
      clientSecret: { after: CHANGED },
      auth: { before: { type: 'password', password: CHANGED }, after: { type: 'password', password: CHANGED } },
      hasPassword: { before: false, after: true },
      refresh_token: { after: CHANGED },
    });
    expect(JSON.stringify(changes)).not.toMatch(/old-secret|new-secret|p1|p2|r1|r2/);
  });

  it('shows the values of settings the contracts declare and do not mark secret, whatever their names hold', () => {
    const changes = auditChanges(
      { clientCredentialsTokensPerHour: 100, refreshTokenReuseIntervalSeconds: 30, appSecret: 'a1', someVendorPrivateKey: 'k1' },
      { clientCredentialsTokensPerHour: 500, refreshTokenReuseIntervalSeconds: 60, appSecret: 'a2', someVendorPrivateKey: 'k2' },
    );
    expect(changes).toEqual({
      clientCredentialsTokensPerHour: { before: 100, after: 500 },
      refreshTokenReuseIntervalSeconds: { before: 30, after: 60 },
      // Marked @Secret() in the contracts.
      appSecret: { after: CHANGED },
      // Declared nowhere: judged by its name.
      someVendorPrivateKey: { after: CHANGED },
    });
  });
});
