import { AUDIT_RECORDED, eventTypeOf, Events } from '@tessera/contracts';
import { describe, expect, it } from 'vitest';
import { wantsEvent } from './event-types.js';

describe('webhook event types', () => {
  it('names an event by its subject after tessera.events.', () => {
    expect(eventTypeOf(Events.tokenRevoked)).toBe('auth.token.revoked');
  });

  it('matches with or without the owner, * spanning any characters', () => {
    expect(wantsEvent(['token.*'], Events.tokenRevoked)).toBe(true);
    expect(wantsEvent(['token.*'], Events.outboundTokenRefreshFailed)).toBe(true);
    expect(wantsEvent(['broker.token.*'], Events.tokenRevoked)).toBe(false);
    expect(wantsEvent(['auth.*'], Events.tokenRevoked)).toBe(true);
    expect(wantsEvent(['registry.integration.deleted'], Events.integrationDeleted)).toBe(true);
    expect(wantsEvent(['integration.created'], Events.integrationDeleted)).toBe(false);
    expect(wantsEvent(['*'], Events.instanceRegistered)).toBe(true);
    expect(wantsEvent(['token.revoke'], Events.tokenRevoked)).toBe(false);
  });

  it('never sends audit lines', () => {
    expect(wantsEvent(['*', 'audit.recorded'], AUDIT_RECORDED['auth-server'])).toBe(false);
  });
});
