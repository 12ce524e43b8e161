import { describe, expect, it } from 'vitest';
import type { PlatformInstance } from './platform-instance.entity.js';
import { toView } from './platform-instances.service.js';

const now = new Date('2026-12-01T10:00:00Z');
const instance = (expiresAt: string): PlatformInstance =>
  Object.assign({} as PlatformInstance, {
    id: 'i',
    name: 'instance-2',
    baseUrl: 'http://x',
    authType: 'oauth',
    clientAppId: 'c',
    createdAt: now,
    updatedAt: now,
    token: { tokenId: 't', state: 'valid', expiresAt, scope: null, lastMessage: null, updatedAt: now.toISOString() },
  });

describe("the instance record's token", () => {
  it('reads expired once past its expiry, whatever the last event said, and valid before', () => {
    expect(toView(instance('2026-12-01T09:59:59Z'), now).token?.state).toBe('expired');
    expect(toView(instance('2026-12-01T10:00:01Z'), now).token?.state).toBe('valid');
  });
});
