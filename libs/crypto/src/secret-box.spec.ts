import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { constantTimeEqual, randomToken, SecretBox } from './secret-box.js';

describe('SecretBox', () => {
  const key = randomBytes(32);

  it('round-trips a value and never repeats a ciphertext', () => {
    const box = new SecretBox(key, 'test');
    const a = box.seal('s3cret', 'row-1');
    const b = box.seal('s3cret', 'row-1');
    expect(a).not.toEqual(b);
    expect(a).not.toContain('s3cret');
    expect(box.open(a, 'row-1')).toBe('s3cret');
  });

  it('refuses a ciphertext moved to another row, tampered with, or opened for another purpose', () => {
    const box = new SecretBox(key, 'test');
    const sealed = box.seal('s3cret', 'row-1');
    expect(() => box.open(sealed, 'row-2')).toThrow();
    const parts = sealed.split('.');
    parts[2] = Buffer.from('x' + Buffer.from(parts[2], 'base64url').toString('latin1'), 'latin1').toString('base64url');
    expect(() => box.open(parts.join('.'), 'row-1')).toThrow();
    expect(() => new SecretBox(key, 'other').open(sealed, 'row-1')).toThrow();
  });

  it('compares strings without short-circuiting', () => {
    expect(constantTimeEqual('abc', 'abc')).toBe(true);
    expect(constantTimeEqual('abc', 'abd')).toBe(false);
    expect(constantTimeEqual('abc', 'abcd')).toBe(false);
  });
});

describe('randomToken', () => {
  it('hands out distinct tokens of the asked size across many refills of its pool', () => {
    const tokens = Array.from({ length: 2_000 }, (_, i) => randomToken(i % 3 === 0 ? 16 : 32));
    expect(new Set(tokens).size).toBe(tokens.length);
    tokens.forEach((token, i) => expect(Buffer.from(token, 'base64url')).toHaveLength(i % 3 === 0 ? 16 : 32));
    expect(Buffer.from(randomToken(4_096), 'base64url')).toHaveLength(4_096);
  });

  it('looks uniformly random: about half of all bits set', () => {
    const bytes = Buffer.concat(Array.from({ length: 500 }, () => Buffer.from(randomToken(32), 'base64url')));
    let ones = 0;
    for (const byte of bytes) for (let bit = 0; bit < 8; bit++) ones += (byte >> bit) & 1;
    expect(ones / (bytes.length * 8)).toBeGreaterThan(0.48);
    expect(ones / (bytes.length * 8)).toBeLessThan(0.52);
  });
});
