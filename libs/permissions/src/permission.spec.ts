import { describe, expect, it } from 'vitest';
import { covers, grantScope, isPermission, lostPermissions, parsePermission } from './permission.js';

describe('permission grammar', () => {
  it('accepts the seed examples', () => {
    expect(parsePermission('*:orgs=read')).toEqual({ instance: '*', resource: 'orgs', action: 'read' });
    expect(parsePermission('acme:users=read')).toEqual({ instance: 'acme', resource: 'users', action: 'read' });
    expect(isPermission('*:platform=admin')).toBe(true);
  });

  it.each(['orgs=read', '*:orgs', 'ACME:users=read', '*:Orgs=read', 'a b:users=read', '*:orgs=read ', '**:orgs=read', '*:orgs=read=write', '', '-acme:users=read'])(
    'rejects %j',
    (text) => expect(isPermission(text)).toBe(false),
  );
});

describe('scope coverage', () => {
  it('lets * cover any instance, but not the other way round', () => {
    expect(covers('*:users=read', 'acme:users=read')).toBe(true);
    expect(covers('acme:users=read', '*:users=read')).toBe(false);
    expect(covers('acme:users=read', 'other:users=read')).toBe(false);
    expect(covers('*:users=read', '*:users=write')).toBe(false);
  });

  it('grants the whole set when nothing is requested, and only covered scopes otherwise', () => {
    const set = ['*:orgs=read', 'acme:users=read'];
    expect(grantScope(set, undefined)).toEqual({ granted: set });
    expect(grantScope(set, '  ')).toEqual({ granted: set });
    expect(grantScope(set, 'beta:orgs=read acme:users=read')).toEqual({ granted: ['beta:orgs=read', 'acme:users=read'] });
    expect(grantScope(set, 'acme:users=write beta:users=read')).toEqual({ rejected: ['acme:users=write', 'beta:users=read'] });
    expect(grantScope(set, 'nonsense')).toEqual({ rejected: ['nonsense'] });
  });

  it('finds what a narrowing takes away', () => {
    expect(lostPermissions(['*:orgs=read', 'acme:users=read'], ['*:orgs=read', '*:users=read'])).toEqual([]);
    expect(lostPermissions(['*:orgs=read', 'acme:users=read'], ['acme:orgs=read'])).toEqual(['*:orgs=read', 'acme:users=read']);
  });
});
