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

  it.each([
    [500, 'boom'],
    [502, ''],
    [503, '{"error":"temporarily_unavailable"}'],
    [429, '{"error":"invalid_grant"}'],
  ])('treats %i %s as transient', (status, body) => {
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

describe('secrets a provider echoes back', () => {
  const secrets = ['client-secret-value', 'rt-refresh-0123456789', 'correct horse battery'];

  it('never reach the message, in any form the provider might repeat them, wherever the cut falls', () => {
    const bodies = [
      '{"error":"invalid_grant","error_description":"refresh token rt-refresh-0123456789 is unknown"}',
      `error=invalid_client&error_description=${encodeURIComponent('secret client-secret-value is wrong')}`,
      `<html>${'x'.repeat(290)} you sent password=correct+horse+battery and client_secret=client-secret-value</html>`,
      `${'y'.repeat(295)}rt-refresh-0123456789`,
      '{"error":"invalid_request","error_description":"got \\"correct horse battery\\""}',
    ];
    for (const body of bodies) {
      const message = classifyHttpFailure(400, body, secrets).message;
      for (const secret of secrets) {
        for (const form of [secret, encodeURIComponent(secret), secret.replace(/ /g, '+'), secret.slice(0, 12)]) expect(message, body).not.toContain(form);
      }
    }
    expect(
      networkFailure(new TypeError('fetch failed', { cause: new Error('socket hang up after rt-refresh-0123456789') }), 1000, secrets).message,
    ).not.toContain('rt-refresh');
  });
});

describe('failureClass', () => {
  it("names what went wrong in a bounded word, never the provider's text", () => {
    expect(classifyHttpFailure(400, '{"error":"invalid_grant","error_description":"user 123 gone"}').failureClass).toBe('invalid_grant');
    expect(classifyHttpFailure(400, '{"error":"made_up_by_provider"}').failureClass).toBe('http_4xx');
    expect(classifyHttpFailure(403, 'Forbidden').failureClass).toBe('http_4xx');
    expect(classifyHttpFailure(429, '{"error":"invalid_grant"}').failureClass).toBe('rate_limited');
    expect(classifyHttpFailure(503, '').failureClass).toBe('server_error');
    expect(networkFailure(Object.assign(new Error('aborted'), { name: 'TimeoutError' }), 500).failureClass).toBe('timeout');
    expect(networkFailure(Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } }), 500).failureClass).toBe('unreachable');
  });
});
