import { describe, expect, it } from 'vitest';
import { mapTokenResponse, parseExpiresAt, parseExpiresIn, readPath, TokenResponseError, type ResponseMapping } from './token-response.js';

const standard: ResponseMapping = {
  accessTokenPath: 'access_token',
  refreshTokenPath: 'refresh_token',
  expiresInPath: 'expires_in',
  expiresInUnit: 'seconds',
  expiresAtPath: null,
  defaultLifetimeSeconds: null,
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
      accessToken: 'at',
      refreshToken: 'rt',
      tokenType: 'Bearer',
      expiresAt: new Date('2026-11-25T10:01:00Z'),
      scope: 'a b',
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

describe('a provider answer trusted no further than it should be', () => {
  const answer = (extra: Record<string, unknown>) => ({ access_token: 'at-abc.DEF_123', expires_in: 60, ...extra });

  it('refuses a token_type that is not a single RFC 6750 scheme word, without repeating the token', () => {
    for (const tokenType of [
      'Bearer\r\nX-Injected: yes',
      'Bearer X',
      'Bearer\n',
      'Bear"er',
      'Bearer,x',
      'Bea(rer',
      '\u00e9',
      'x'.repeat(65),
      42,
      { a: 1 },
      ['Bearer'],
    ]) {
      const attempt = () => mapTokenResponse(answer({ token_type: tokenType }), standard, now);
      expect(attempt, JSON.stringify(tokenType)).toThrow(TokenResponseError);
      expect(attempt, JSON.stringify(tokenType)).toThrow(/token_type is not a single word/);
      try {
        attempt();
      } catch (error) {
        expect((error as Error).message).not.toContain('at-abc');
      }
    }
    for (const tokenType of ['bearer', 'Bearer', 'MAC', 'DPoP', 'N_E-G.O~tiate'])
      expect(mapTokenResponse(answer({ token_type: tokenType }), standard, now).tokenType).toBeTruthy();
    expect(mapTokenResponse(answer({}), standard, now).tokenType).toBe('Bearer');
  });

  it('refuses an access token that could not travel in one header line, without repeating it', () => {
    for (const token of ['at\r\nX-Injected: yes', 'at x', 'at\u0000', 'at\u00e9', 'a'.repeat(16_385)]) {
      expect(() => mapTokenResponse({ access_token: token }, standard, now), JSON.stringify(token.slice(0, 20))).toThrow(/not a single header-safe word/);
    }
    expect(mapTokenResponse({ access_token: '123|app-secret:x/y+z==' }, standard, now).accessToken).toBe('123|app-secret:x/y+z==');
  });

  it('refuses expires_in beyond ten years or not finite, and keeps reading ordinary lifetimes', () => {
    for (const expiresIn of [1e12, '999999999999', 1e400, 315_360_001])
      expect(() => mapTokenResponse(answer({ expires_in: expiresIn }), standard, now), String(expiresIn)).toThrow(/expires_in/);
    expect(() => mapTokenResponse(answer({ expires_in: 315_360_001_000 }), { ...standard, expiresInUnit: 'milliseconds' }, now)).toThrow(/out of range/);
    expect(mapTokenResponse(answer({ expires_in: 315_360_000 }), standard, now).expiresAt!.getTime()).toBe(now.getTime() + 315_360_000_000);
  });
});

describe('absolute expiry (expiresAtPath)', () => {
  const withExpiresAt: ResponseMapping = { ...standard, expiresAtPath: 'data.expires_at' };

  it('reads epoch seconds, numeric strings and ISO dates as the time left', () => {
    const at = now.getTime() / 1000 + 900;
    expect(mapTokenResponse({ access_token: 'a', data: { expires_at: at } }, withExpiresAt, now).expiresAt).toEqual(new Date(at * 1000));
    expect(mapTokenResponse({ access_token: 'a', data: { expires_at: String(at) } }, withExpiresAt, now).expiresAt).toEqual(new Date(at * 1000));
    expect(mapTokenResponse({ access_token: 'a', data: { expires_at: '2026-11-25T11:00:00Z' } }, withExpiresAt, now).expiresAt).toEqual(
      new Date('2026-11-25T11:00:00Z'),
    );
  });

  it('prefers expires_in, ignores what is not a date, counts a past date as expired, and refuses one beyond ten years', () => {
    expect(mapTokenResponse({ access_token: 'a', expires_in: 60, data: { expires_at: 1 } }, withExpiresAt, now).expiresAt).toEqual(
      new Date(now.getTime() + 60_000),
    );
    expect(mapTokenResponse({ access_token: 'a', data: { expires_at: 'soon' } }, withExpiresAt, now).expiresAt).toBeNull();
    expect(parseExpiresAt(1, now)).toBe(0);
    expect(() => parseExpiresAt('2999-01-01T00:00:00Z', now)).toThrow(TokenResponseError);
  });
});

describe('mapTokenResponse with values for the token URLs', () => {
  it("carries them beside the token (Salesforce's instance_url), and refuses the answer when one is off its domain", () => {
    const mapping: ResponseMapping = { ...standard, values: { variables: { instanceUrl: 'instance_url' }, hosts: { instanceUrl: 'salesforce.com' } } };
    expect(mapTokenResponse({ access_token: 'at', instance_url: 'https://acme.my.salesforce.com' }, mapping, now).values).toEqual({
      instanceUrl: 'https://acme.my.salesforce.com',
    });
    expect(() => mapTokenResponse({ access_token: 'at', instance_url: 'https://evil.example' }, mapping, now)).toThrow(TokenResponseError);
  });
});
