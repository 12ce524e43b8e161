import { describe, expect, it } from 'vitest';
import { INTROSPECTION_PERMISSION, mayIntrospect } from './introspection.js';

describe('who may introspect a token', () => {
  it("is the token's own client, or a resource server holding the introspection permission", () => {
    expect(mayIntrospect({ clientId: 'a', permissions: [] }, 'a')).toBe(true);
    expect(mayIntrospect({ clientId: 'a', permissions: ['*:platform=owner', '*:orgs=read', '*:introspection=write'] }, 'b')).toBe(false);
    expect(mayIntrospect({ clientId: 'a', permissions: [INTROSPECTION_PERMISSION] }, 'b')).toBe(true);
    // Narrowed to one instance: not a resource server for all of them.
    expect(mayIntrospect({ clientId: 'a', permissions: ['acme:introspection=read'] }, 'b')).toBe(false);
  });
});
