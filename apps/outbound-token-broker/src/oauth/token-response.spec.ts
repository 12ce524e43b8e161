import { describe, expect, it } from 'vitest';
import { mapTokenResponse, parseExpiresIn, readPath, TokenResponseError, type ResponseMapping } from './token-response.js';

const standard: ResponseMapping = {
  accessTokenPath: 'access_token', refreshTokenPath: 'refresh_token', expiresInPath: 'expires_in', expiresInUnit: 'seconds', defaultLifetimeSeconds: null,
};
const now = new Date('2026-11-25T10:00:00Z');

describe('readPath', () => {
  it('follows dotted paths into nested objects and prefers a literal dotted key', () => {
    expect(readPath({ data: { token: { value: 'x' } } }, 'data.token.value')).toBe('x');
    expect(readPath({ 'a.b': 1, a: { b: 2 } }, 'a.b')).toBe(1);
    expect(readPath({ data: 'string' }, 'data.token')).toBeUndefined();
    expect(readPath(null, 'a')).toBeUndefined();
  });
});

describe('parseExpiresIn', () => {
  it('accepts numbers and numeric strings in seconds or milliseconds', () => {
    expect(parseExpiresIn(3600, 'seconds')).toBe(3_600_000);
    expect(parseExpiresIn('3600', 'seconds')).toBe(3_600_000);
    expect(parseExpiresIn(' 90000 ', 'milliseconds')).toBe(90_000);
  });

  it('treats non-numeric and negative values as absent', () => {
    expect(parseExpiresIn('soon', 'seconds')).toBeUndefined();
    expect(parseExpiresIn(-5, 'seconds')).toBeUndefined();
    expect(parseExpiresIn(undefined, 'seconds')).toBeUndefined();
  });
});

describe('mapTokenResponse', () => {
  it('maps a standard RFC 6749 response', () => {
    expect(mapTokenResponse({ access_token: 'at', refresh_token: 'rt', expires_in: 60, token_type: 'bearer', scope: 'a b' }, standard, now)).toEqual({
      accessToken: 'at', refreshToken: 'rt', tokenType: 'Bearer', expiresAt: new Date('2026-11-25T10:01:00Z'), scope: 'a b',
    });
  });

  it('reads nested paths and a string expires_in', () => {
    const mapping = { ...standard, accessTokenPath: 'data.auth.token', refreshTokenPath: 'data.auth.renew', expiresInPath: 'data.auth.ttl' };
    const mapped = mapTokenResponse({ data: { auth: { token: 'at', renew: 'rt', ttl: '120' } } }, mapping, now);
    expect(mapped.accessToken).toBe('at');
    expect(mapped.refreshToken).toBe('rt');
    expect(mapped.expiresAt).toEqual(new Date('2026-11-25T10:02:00Z'));
  });

  it('leaves the refresh token out when the provider sends none, so the old one is kept', () => {
    expect(mapTokenResponse({ access_token: 'at', expires_in: 60 }, standard, now)).not.toHaveProperty('refreshToken');
  });

  it('uses the default lifetime when there is no expires_in, and none when there is no default', () => {
    expect(mapTokenResponse({ access_token: 'at' }, { ...standard, defaultLifetimeSeconds: 300 }, now).expiresAt).toEqual(new Date('2026-11-25T10:05:00Z'));
    expect(mapTokenResponse({ access_token: 'at' }, standard, now).expiresAt).toBeNull();
  });

  it('honours milliseconds and keeps a non-bearer token type as sent', () => {
    const mapped = mapTokenResponse({ access_token: 'at', expires_in: 1500, token_type: 'MAC' }, { ...standard, expiresInUnit: 'milliseconds' }, now);
    expect(mapped.expiresAt).toEqual(new Date('2026-11-25T10:00:01.500Z'));
    expect(mapped.tokenType).toBe('MAC');
  });

  it('rejects a response without an access token at the configured path', () => {
    expect(() => mapTokenResponse({ token: 'x' }, standard, now)).toThrow(TokenResponseError);
  });
});
