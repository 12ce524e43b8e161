import { describe, expect, it } from 'vitest';
import { MAX_ACCESS_TOKEN_LIFETIME_MS } from '@tessera/contracts';
import { CLOCK_SKEW_MS, DenyList } from './deny-list.js';

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
    list.noteRevision('c', 5);
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

  it('ignores a revocation that names no client', () => {
    const list = new DenyList();
    list.add({ tokenId: 't1', name: 'github' } as never);
    expect(list.size).toBe(0);
    expect(list.isDenied({ jti: 'j', client_id: undefined, iat: 1 })).toBe(false);
  });

  it('a revocation dated in the future covers only tokens issued up to now', () => {
    const list = new DenyList();
    const now = Date.now();
    list.add(
      { clientId: 'tessera-admin', reason: 'admin', revokedAt: new Date(now + 3_600_000).toISOString(), expiresAt: new Date(now + 7_200_000).toISOString() },
      now,
    );
    const nowSeconds = Math.floor(now / 1000);
    expect(list.isDenied({ jti: 'earlier', client_id: 'tessera-admin', iat: nowSeconds - 10 })).toBe(true);
    // A sign-in after the clock-skew allowance is not refused, although the event claimed an hour ahead.
    expect(list.isDenied({ jti: 'fresh', client_id: 'tessera-admin', iat: nowSeconds + 6 })).toBe(false);
  });

  it('keeps an entry no longer than the longest token lifetime after its revocation', () => {
    const list = new DenyList();
    const now = Date.now();
    list.add(
      { jti: 'j1', clientId: 'c', reason: 'api', revokedAt: new Date(now).toISOString(), expiresAt: new Date(now + 30 * 86_400_000).toISOString() },
      now,
    );
    list.prune(now + MAX_ACCESS_TOKEN_LIFETIME_MS + CLOCK_SKEW_MS - 1);
    expect(list.size).toBe(1);
    list.prune(now + MAX_ACCESS_TOKEN_LIFETIME_MS + CLOCK_SKEW_MS + 1);
    expect(list.size).toBe(0);
  });

  it('applies no revision higher than one past any issued: such a revocation covers tokens by issue time', () => {
    const list = new DenyList();
    const now = Date.now();
    const nowSeconds = Math.floor(now / 1000);
    list.noteRevision('crm', 4);
    list.add(
      { clientId: 'crm', reason: 'admin', revokedAt: new Date(now).toISOString(), clientRevision: 999_999, expiresAt: new Date(now + 3_600_000).toISOString() },
      now,
    );
    expect(list.isDenied({ jti: 'before', client_id: 'crm', iat: nowSeconds - 5, cv: 4 })).toBe(true);
    expect(list.isDenied({ jti: 'after', client_id: 'crm', iat: nowSeconds + 1, cv: 4 })).toBe(false);
    // Nothing known of the client's revisions (a verifier just started): by issue time as well.
    list.add(
      { clientId: 'new', reason: 'admin', revokedAt: new Date(now).toISOString(), clientRevision: 7, expiresAt: new Date(now + 3_600_000).toISOString() },
      now,
    );
    expect(list.isDenied({ jti: 'after', client_id: 'new', iat: nowSeconds + 1, cv: 3 })).toBe(false);
    // One past the highest known is what a real change looks like: applied by revision.
    list.add(
      {
        clientId: 'crm',
        reason: 'permissions_narrowed',
        revokedAt: new Date(now).toISOString(),
        clientRevision: 5,
        expiresAt: new Date(now + 3_600_000).toISOString(),
      },
      now,
    );
    expect(list.isDenied({ jti: 'stale-replica', client_id: 'crm', iat: nowSeconds + 1, cv: 4 })).toBe(true);
    expect(list.isDenied({ jti: 'current', client_id: 'crm', iat: nowSeconds + 1, cv: 5 })).toBe(false);
  });

  it('forgets entries once their tokens have expired', () => {
    const list = new DenyList();
    list.add({ jti: 'j1', clientId: 'c', reason: 'api', revokedAt: new Date().toISOString(), expiresAt: new Date(Date.now() - 1).toISOString() });
    list.prune(Date.now());
    expect(list.size).toBe(0);
  });
});
