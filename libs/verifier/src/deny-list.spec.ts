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
