import { describe, expect, it } from 'vitest';
import { publishedKeys, signingKey } from './client-key-schedule.js';

const at = (minute: number) => new Date(Date.UTC(2026, 11, 7, 12, minute));
const key = (name: string, activeFrom: number, retiresAt: number | null = null) => ({
  name,
  activeFrom: at(activeFrom),
  retiresAt: retiresAt === null ? null : at(retiresAt),
});

describe('which platform client key signs, and which are published', () => {
  // Latest first, as the store answers: `b` replaces `a` at minute 10, `a` retires at minute 15.
  const keys = [key('b', 10), key('a', 0, 15)];
  const states = (minute: number) => publishedKeys(keys, at(minute)).map(({ key: k, state }) => `${k.name}:${state}`);

  it('before the overlap ends, the old key signs and the new one is published as next', () => {
    expect(signingKey(keys, at(5)).name).toBe('a');
    expect(states(5)).toEqual(['b:next', 'a:current']);
  });

  it('once the new key is active it signs, and the old one stays published until it retires, then leaves', () => {
    expect(signingKey(keys, at(10)).name).toBe('b');
    expect(states(12)).toEqual(['b:current', 'a:previous']);
    expect(states(15)).toEqual(['b:current']);
  });

  it('a key made just now signs from that instant, and none before it', () => {
    expect(signingKey([key('first', 30)], at(30)).name).toBe('first');
    expect(() => signingKey([key('first', 30)], at(29))).toThrow(/no platform client key is active/);
  });
});
