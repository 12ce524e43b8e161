import { describe, expect, it } from 'vitest';
import { classifyHttpFailure, networkFailure } from './token-endpoint-error.js';

describe('classifyHttpFailure', () => {
  it.each([
    [400, '{"error":"invalid_grant","error_description":"refresh token expired"}', 'token endpoint answered 400: invalid_grant: refresh token expired'],
    [401, '{"error":"invalid_client"}', 'token endpoint answered 401: invalid_client'],
    [400, 'error=unauthorized_client', 'token endpoint answered 400: unauthorized_client'],
    [403, 'Forbidden', 'token endpoint answered 403: Forbidden'],
    [400, '{"error":"invalid_scope"}', 'token endpoint answered 400: invalid_scope'],
  ])('treats %i %s as permanent', (status, body, message) => {
    const failure = classifyHttpFailure(status, body);
    expect(failure.permanent).toBe(true);
    expect(failure.message).toBe(message);
  });

  it.each([[500, 'boom'], [502, ''], [503, '{"error":"temporarily_unavailable"}'], [429, '{"error":"invalid_grant"}']])('treats %i %s as transient', (status, body) => {
    expect(classifyHttpFailure(status, body).permanent).toBe(false);
  });

  it('keeps an HTML error page out of the message beyond a short excerpt', () => {
    expect(classifyHttpFailure(500, `<html>${'x'.repeat(5000)}</html>`).message.length).toBeLessThan(400);
  });
});

describe('networkFailure', () => {
  it('is transient and says what happened', () => {
    const timeout = Object.assign(new Error('aborted'), { name: 'TimeoutError' });
    expect(networkFailure(timeout, 500)).toMatchObject({ permanent: false, message: 'token endpoint did not answer within 500 ms' });
    const refused = Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
    expect(networkFailure(refused, 500).message).toBe('token endpoint unreachable: ECONNREFUSED');
  });
});
