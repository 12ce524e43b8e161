import { describe, expect, it } from 'vitest';
import { canServe, displayedState, isFresh, settledState, type TokenFacts } from './token-state.js';

const now = new Date('2026-11-25T10:00:00Z');
const later = new Date('2026-11-25T11:00:00Z');
const earlier = new Date('2026-11-25T09:00:00Z');
const base: TokenFacts = {
  active: true,
  grantType: 'authorization_code',
  hasAccessToken: false,
  hasRefreshToken: false,
  expiresAt: null,
  revoked: false,
  refreshFailed: false,
};

describe('settledState', () => {
  it('starts an authorization-code token as pending_authorization and a client_credentials token as expired (fetched on use)', () => {
    expect(settledState(base, now)).toBe('pending_authorization');
    expect(settledState({ ...base, grantType: 'client_credentials' }, now)).toBe('expired');
    expect(settledState({ ...base, grantType: 'password' }, now)).toBe('expired');
  });

  it('is valid while the access token lasts, or indefinitely without an expiry', () => {
    expect(settledState({ ...base, hasAccessToken: true, expiresAt: later }, now)).toBe('valid');
    expect(settledState({ ...base, hasAccessToken: true, expiresAt: null }, now)).toBe('valid');
  });

  it('is expired once the access token has lapsed but a refresh token remains', () => {
    expect(settledState({ ...base, hasAccessToken: true, hasRefreshToken: true, expiresAt: earlier }, now)).toBe('expired');
    expect(settledState({ ...base, hasAccessToken: true, expiresAt: earlier }, now)).toBe('pending_authorization');
  });

  it('lets inactive win over revoked and failed, and revoked over failed', () => {
    expect(settledState({ ...base, active: false, revoked: true, refreshFailed: true }, now)).toBe('inactive');
    expect(settledState({ ...base, revoked: true, refreshFailed: true }, now)).toBe('revoked');
    expect(settledState({ ...base, refreshFailed: true, hasAccessToken: true, expiresAt: later }, now)).toBe('refresh_failed');
  });
});

describe('canServe and isFresh', () => {
  it('serves only states a machine can act on', () => {
    expect(['valid', 'expired', 'refreshing'].every((s) => canServe(s as never))).toBe(true);
    expect(['pending_authorization', 'refresh_failed', 'revoked', 'inactive'].some((s) => canServe(s as never))).toBe(false);
  });

  it('counts a token about to expire within the skew as stale', () => {
    expect(isFresh(true, new Date(now.getTime() + 4_000), now)).toBe(false);
    expect(isFresh(true, new Date(now.getTime() + 6_000), now)).toBe(true);
    expect(isFresh(true, null, now)).toBe(true);
    expect(isFresh(false, null, now)).toBe(false);
  });
});

describe('displayedState', () => {
  const stored = { state: 'valid' as const, accessTokenSealed: 'sealed', expiresAt: later, leaseUntil: null };

  it('shows a token past its expiry as expired, whatever the row says, and refreshing only while a lease stands', () => {
    expect(displayedState(stored, now)).toBe('valid');
    expect(displayedState({ ...stored, expiresAt: earlier }, now)).toBe('expired');
    expect(displayedState({ ...stored, expiresAt: earlier, leaseUntil: later }, now)).toBe('refreshing');
    // A lease that ran out (its holder died) no longer shows the token as being refreshed.
    expect(displayedState({ ...stored, expiresAt: earlier, leaseUntil: earlier }, now)).toBe('expired');
    // A proactive refresh of a token that still lasts leaves it valid.
    expect(displayedState({ ...stored, leaseUntil: later }, now)).toBe('valid');
  });

  it('leaves the states a human must change alone', () => {
    for (const state of ['pending_authorization', 'refresh_failed', 'revoked', 'inactive'] as const) {
      expect(displayedState({ ...stored, state, expiresAt: earlier, leaseUntil: later }, now)).toBe(state);
    }
  });
});
