import { describe, expect, it } from 'vitest';
import { PathEscapeError, urlUnderBase } from './url-under-base.js';
import { leniently } from '@tessera/testing';

const BASE = 'https://api.example.com/api/v1';

const dots = [
  '..',
  '.%2e',
  '%2e.',
  '%2e%2e',
  '%2E%2E',
  '%252e%252e',
  '%25252e%25252e',
  '.%09.',
  '.%0a.',
  '.%0d.',
  '%2e%00%2e',
  '．．',
  '%EF%BC%8E%EF%BC%8E',
  '。。',
  '%E3%80%82%E3%80%82',
  '..;',
  '..;jsessionid=1',
  '%2e%2e%3b',
  '.',
  '%2e',
  '..%20',
  '%20..',
];
const slashes = ['/', '%2f', '%2F', '%252f', '\\', '%5c', '%5C', '%255c', '／', '%EF%BC%8F', '＼'];
const origins = [
  '/evil.example/x',
  '//evil.example/x',
  '\\\\evil.example/x',
  '/\\evil.example/x',
  '%2f%2fevil.example/x',
  '@evil.example/x',
  ':@evil.example/x',
  'x@evil.example/x',
  'http://evil.example/x',
  'https:evil.example/x',
  '\\/evil.example',
];
/** Every way we know to say "go up one level", alone and combined with every separator, in several positions. */
const variants = [
  ...new Set([
    ...dots.flatMap((dot) =>
      slashes.flatMap((slash) => [
        `${dot}${slash}x`,
        `a${slash}${dot}${slash}${dot}${slash}x`,
        `a/${dot}${slash}${dot}${slash}token`,
        `${dot}${slash}${dot}${slash}${dot}`,
      ]),
    ),
    ...dots.map((dot) => `a/${dot}`),
    ...origins,
    'a/b\tc',
    'a\r\nHost: evil',
    'a%0d%0aX-Injected:%20yes',
  ]),
];

describe('urlUnderBase', () => {
  it(`keeps ${variants.length} generated escape attempts under the base URL's origin and path, or refuses them`, () => {
    let refused = 0;
    for (const variant of variants) {
      let target: URL;
      try {
        target = urlUnderBase(BASE, variant, '');
      } catch (error) {
        expect(error, variant).toBeInstanceOf(PathEscapeError);
        refused++;
        continue;
      }
      expect(target.origin, variant).toBe('https://api.example.com');
      expect(leniently(target.pathname).startsWith('/api/v1/'), `${variant} → ${target.pathname}`).toBe(true);
    }
    expect(refused).toBeGreaterThan(variants.length / 2);
  });

  it('forwards ordinary paths and queries unchanged', () => {
    expect(urlUnderBase(BASE, 'contacts/42', '?expand=true').href).toBe('https://api.example.com/api/v1/contacts/42?expand=true');
    expect(urlUnderBase(`${BASE}/`, 'a%20b/c.d..e/...', '').pathname).toBe('/api/v1/a%20b/c.d..e/...');
    expect(urlUnderBase('https://api.example.com', 'x', '').href).toBe('https://api.example.com/x');
    expect(urlUnderBase(BASE, '', '').pathname).toBe('/api/v1/');
  });

  it('refuses a path whose first segments only look like the base path', () => {
    expect(() => urlUnderBase(BASE, '../v1evil/x', '')).toThrow(PathEscapeError);
    expect(() => urlUnderBase('https://api.example.com', '//evil.example/x', '')).toThrow(PathEscapeError);
  });
});
