import { describe, expect, it } from 'vitest';
import { redactAnswer, REDACTED } from './provider-test.service.js';

describe('redactAnswer', () => {
  it('replaces token values and keeps token_type, expires_in, scope and errors', () => {
    expect(redactAnswer({ access_token: 'at-1', refresh_token: 'rt-1', id_token: 'x.y.z', token_type: 'bearer', expires_in: 3600, scope: 'a b' })).toEqual({
      access_token: REDACTED,
      refresh_token: REDACTED,
      id_token: REDACTED,
      token_type: 'bearer',
      expires_in: 3600,
      scope: 'a b',
    });
    expect(redactAnswer({ error: 'invalid_client', error_description: 'no such client' })).toEqual({
      error: 'invalid_client',
      error_description: 'no such client',
    });
  });

  it("redacts the provider's own token paths, and any copy of a token elsewhere in the answer", () => {
    const answer = redactAnswer({ data: { auth: { token: 'secret-at', renew: 'secret-rt', ttl: 60 } }, echo: 'issued secret-rt' }, [
      'data.auth.token',
      'data.auth.renew',
    ]);
    expect(answer).toEqual({ data: { auth: { token: REDACTED, renew: REDACTED, ttl: 60 } }, echo: `issued ${REDACTED}` });
    expect(JSON.stringify(answer)).not.toMatch(/secret-/);
  });
});
