import { describe, expect, it } from 'vitest';
import { bracketDepth, nestsTooDeep } from './nesting.js';

describe('nesting limits', () => {
  it('counts brackets outside strings only', () => {
    expect(bracketDepth('{"a":[1,{"b":"[[[[["}]}')).toBe(3);
    expect(bracketDepth('"\\"[[["')).toBe(0);
  });

  it('refuses deep JSON and YAML (flow, block and compact sequences), accepts ordinary documents', () => {
    expect(nestsTooDeep('['.repeat(65) + ']'.repeat(65))).toBe(true);
    expect(nestsTooDeep('['.repeat(64) + ']'.repeat(64))).toBe(false);
    expect(nestsTooDeep(`paths: ${'- '.repeat(300)}x`)).toBe(true);
    expect(
      nestsTooDeep(
        'openapi: 3.0.0\ncomponents:\n  securitySchemes:\n    oauth:\n      type: oauth2\n      flows:\n        clientCredentials:\n          tokenUrl: https://x/token\n',
      ),
    ).toBe(false);
  });
});
