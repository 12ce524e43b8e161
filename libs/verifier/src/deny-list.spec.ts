import { describe, expect, it } from 'vitest';
import { DenyList } from './deny-list.js';

const later = new Date(Date.now() + 3_600_000).toISOString();

describe('DenyList', () => {
  it('denies a token revoked by jti, by family, or by a client-wide revocation issued after it', () => {
    const list = new DenyList();
    list.add({ jti: 'j1', clientId: 'c', reason: 'api', revokedAt: new Date().toISOString(), expiresAt: later });
    list.add({ familyId: 'f1', clientId: 'c', reason: 'refresh_token_reuse', revokedAt: new Date().toISOString(), expiresAt: later });
    list.add({ clientId: 'c2', reason: 'integration_disabled', revokedAt: new Date(2_000_000_000).toISOString(), expiresAt: later });
    expect(list.isDenied({ jti: 'j1', client_id: 'c', iat: 1 })).toBe(true);
    expect(list.isDenied({ jti: 'j2', fid: 'f1', client_id: 'c', iat: 1 })).toBe(true);
    expect(list.isDenied({ jti: 'j3', fid: 'f2', client_id: 'c', iat: 1 })).toBe(false);
    expect(list.isDenied({ jti: 'j4', client_id: 'c2', iat: 1_999_999 })).toBe(true);
    expect(list.isDenied({ jti: 'j5', client_id: 'c2', iat: 2_000_001 })).toBe(false);
  });

  it('denies by integration revision a client-wide revocation names: also tokens a stale replica issued after it', () => {
    const list = new DenyList();
    list.add({ clientId: 'c', reason: 'integration_disabled', revokedAt: new Date(2_000_000_000).toISOString(), clientRevision: 6, expiresAt: later });
    expect(list.isDenied({ jti: 'before', client_id: 'c', iat: 1_999_999, cv: 5 })).toBe(true);
    expect(list.isDenied({ jti: 'stale-replica', client_id: 'c', iat: 2_000_100, cv: 5 })).toBe(true);
    expect(list.isDenied({ jti: 'current', client_id: 'c', iat: 2_000_100, cv: 6 })).toBe(false);
    // Re-enabled at revision 7 within the same second: its tokens are good (the iat rule alone would refuse them).
    expect(list.isDenied({ jti: 'reenabled', client_id: 'c', iat: 2_000_000, cv: 7 })).toBe(false);
    // A token without a revision (issued before revisions existed) falls back to issue time.
    expect(list.isDenied({ jti: 'old', client_id: 'c', iat: 1_999_999 })).toBe(true);
    // An older event arriving late does not lower the bar.
    list.add({ clientId: 'c', reason: 'permissions_narrowed', revokedAt: new Date(1_000_000_000).toISOString(), clientRevision: 3, expiresAt: later });
    expect(list.isDenied({ jti: 'stale-replica', client_id: 'c', iat: 2_000_100, cv: 5 })).toBe(true);
  });

  it('ignores revocations of outbound tokens, which share the subject but name no client', () => {
    const list = new DenyList();
    list.add({ tokenId: 't1', name: 'github' } as never);
    expect(list.size).toBe(0);
    expect(list.isDenied({ jti: 'j', client_id: undefined, iat: 1 })).toBe(false);
  });

  it('forgets entries once their tokens have expired', () => {
    const list = new DenyList();
    list.add({ jti: 'j1', clientId: 'c', reason: 'api', revokedAt: new Date().toISOString(), expiresAt: new Date(Date.now() - 1).toISOString() });
    list.prune(Date.now());
    expect(list.size).toBe(0);
  });
});
