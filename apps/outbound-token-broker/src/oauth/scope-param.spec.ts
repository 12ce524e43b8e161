import { describe, expect, it } from 'vitest';
import { withLiteralScopeSeparator } from './scope-param.js';

describe('withLiteralScopeSeparator', () => {
  const url = 'https://idp.test/authorize?response_type=code&scope=a%2Cb&client_id=c';

  it('sends a comma separator literally and encodes each scope on its own', () => {
    expect(withLiteralScopeSeparator(url, ['read:x', 'write y'], ',')).toBe(
      'https://idp.test/authorize?response_type=code&client_id=c&scope=read%3Ax,write%20y',
    );
  });

  it('sends a plus separator literally', () => {
    expect(withLiteralScopeSeparator(url, ['a', 'b'], '+')).toBe('https://idp.test/authorize?response_type=code&client_id=c&scope=a+b');
  });

  it('encodes a space separator as %20 so it decodes back to a space', () => {
    const rewritten = withLiteralScopeSeparator(url, ['openid', 'offline_access'], ' ');
    expect(new URL(rewritten).searchParams.get('scope')).toBe('openid offline_access');
  });

  it('leaves a URL alone when there are no scopes', () => {
    expect(withLiteralScopeSeparator(url, [], ',')).toBe(url);
  });
});
