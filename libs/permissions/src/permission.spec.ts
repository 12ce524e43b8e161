import { describe, expect, it } from 'vitest';
import { covers, grantScope, isPermission, lostPermissions, parsePermission } from './permission.js';
import { instancePermission, mayUseToken, mightUseToken, permissionProblem, tokenPermission } from './token-permissions.js';

describe('permission grammar', () => {
  it('accepts the seed examples', () => {
    expect(parsePermission('*:orgs=read')).toEqual({ instance: '*', resource: 'orgs', action: 'read' });
    expect(parsePermission('acme:users=read')).toEqual({ instance: 'acme', resource: 'users', action: 'read' });
    expect(isPermission('*:platform=admin')).toBe(true);
  });

  it.each([
    'orgs=read',
    '*:orgs',
    'ACME:users=read',
    '*:Orgs=read',
    'a b:users=read',
    '*:orgs=read ',
    '**:orgs=read',
    '*:orgs=read=write',
    '',
    '-acme:users=read',
    '*:tokens/=read',
    '*:tokens/a/b=read',
    '*:tokens/-crm=read',
    '*:tokens/crm.=read',
    '*:tokens/CRM=read',
    `*:tokens/${'a'.repeat(101)}=read`,
  ])('rejects %j', (text) => expect(isPermission(text)).toBe(false));
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

describe('one named thing of a resource', () => {
  it('parses the name after the resource', () => {
    expect(parsePermission('*:tokens/acme-crm.v2=read')).toEqual({ instance: '*', resource: 'tokens', name: 'acme-crm.v2', action: 'read' });
    expect(parsePermission('*:tokens=read')).toEqual({ instance: '*', resource: 'tokens', action: 'read' });
  });

  it('lets the whole kind cover one named thing, never one name another or the whole kind', () => {
    expect(covers('*:tokens=read', '*:tokens/crm=read')).toBe(true);
    expect(covers('*:tokens/crm=read', '*:tokens/crm=read')).toBe(true);
    expect(covers('*:tokens/crm=read', '*:tokens/erp=read')).toBe(false);
    expect(covers('*:tokens/crm=read', '*:tokens=read')).toBe(false);
    expect(covers('*:tokens/crm=read', '*:tokens/crm=proxy')).toBe(false);
    expect(covers('*:tokens=read', '*:tokens/crm=proxy')).toBe(false);
  });

  it('narrowing from the whole kind to one name loses the whole kind', () => {
    expect(lostPermissions(['*:tokens=read'], ['*:tokens/crm=read'])).toEqual(['*:tokens=read']);
    expect(lostPermissions(['*:tokens/crm=read'], ['*:tokens=read'])).toEqual([]);
  });
});

describe('token permissions', () => {
  const crm = { name: 'crm' };
  const p2pi = { name: 'p2pi-acme-1a2b', platformInstance: 'acme' };

  it('names an ordinary token by name and a P2PI token by its instance', () => {
    expect(tokenPermission(crm, 'read')).toBe('*:tokens/crm=read');
    expect(tokenPermission(p2pi, 'proxy')).toBe('acme:p2pi=proxy');
    expect(instancePermission('acme', 'read')).toBe('acme:p2pi=read');
  });

  it('keeps reading the raw token and calling through the proxy apart', () => {
    expect(mayUseToken('*:tokens/crm=read', crm, 'read')).toBe(true);
    expect(mayUseToken('*:tokens/crm=read', crm, 'proxy')).toBe(false);
    expect(mayUseToken('*:tokens/crm=proxy', crm, 'read')).toBe(false);
    expect(mayUseToken('*:tokens/crm=proxy', crm, 'proxy')).toBe(true);
    expect(mayUseToken('*:tokens/crm=read', { name: 'erp' }, 'read')).toBe(false);
  });

  it('never lets a permission meant for ordinary tokens reach a P2PI token', () => {
    expect(mayUseToken('*:tokens=read *:tokens=proxy', p2pi, 'read')).toBe(false);
    expect(mayUseToken('*:tokens=read *:tokens=proxy', p2pi, 'proxy')).toBe(false);
    expect(mayUseToken('*:tokens/p2pi-acme-1a2b=read', p2pi, 'read')).toBe(false);
    expect(mayUseToken('acme:p2pi=proxy', p2pi, 'proxy')).toBe(true);
    expect(mayUseToken('acme:p2pi=proxy', p2pi, 'read')).toBe(false);
    expect(mayUseToken('other:p2pi=read', p2pi, 'read')).toBe(false);
    expect(mayUseToken('*:p2pi=read', p2pi, 'read')).toBe(true);
  });

  it('lets the platform administrator use anything', () => {
    expect(mayUseToken('*:platform=admin', p2pi, 'read')).toBe(true);
    expect(mayUseToken('*:platform=admin', crm, 'proxy')).toBe(true);
    expect(mayUseToken(undefined, crm, 'read')).toBe(false);
  });

  it('can tell from the name alone who cannot possibly be allowed', () => {
    expect(mightUseToken('*:tokens/crm=read', 'erp', 'read')).toBe(false);
    expect(mightUseToken('*:tokens/crm=read', 'crm', 'read')).toBe(true);
    expect(mightUseToken('acme:p2pi=read', 'anything', 'read')).toBe(true);
    expect(mightUseToken('acme:p2pi=read', 'anything', 'proxy')).toBe(false);
    expect(mightUseToken('*:orgs=read', 'crm', 'read')).toBe(false);
  });

  it('refuses token permissions that would silently grant nothing', () => {
    for (const ok of ['*:tokens=read', '*:tokens=proxy', '*:tokens/crm=read', 'acme:p2pi=proxy', '*:p2pi=read', '*:orgs=read', 'acme:users/x=write'])
      expect(permissionProblem(ok)).toBeUndefined();
    expect(permissionProblem('acme:tokens=read')).toMatch(/acme:p2pi=read/);
    expect(permissionProblem('acme:tokens/crm=proxy')).toMatch(/\*:tokens\/crm=proxy/);
    expect(permissionProblem('*:tokens=write')).toMatch(/read .*proxy/);
    expect(permissionProblem('*:p2pi/acme=read')).toMatch(/acme:p2pi=read/);
    expect(permissionProblem('nonsense')).toMatch(/<instance>:<resource>=<action>/);
  });
});
