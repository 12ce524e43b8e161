import { describe, expect, it } from 'vitest';
import { subjectMatches } from './bus.js';

describe('subjectMatches', () => {
  it('matches exact subjects and wildcards as NATS does', () => {
    expect(subjectMatches('tessera.events.>', 'tessera.events.registry.instance.registered')).toBe(true);
    expect(subjectMatches('tessera.events.>', 'tessera.events')).toBe(false);
    expect(subjectMatches('tessera.*.ping', 'tessera.auth.ping')).toBe(true);
    expect(subjectMatches('tessera.*.ping', 'tessera.auth.x.ping')).toBe(false);
    expect(subjectMatches('a.b', 'a.b')).toBe(true);
    expect(subjectMatches('a.b', 'a.b.c')).toBe(false);
  });
});
