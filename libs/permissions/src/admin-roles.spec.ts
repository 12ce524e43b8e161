import { describe, expect, it } from 'vitest';
import { parseScope } from './permission.js';
import { beyondRole, beyondRoleMessage, roleAllows, roleCovers, roleNamedBy, roleOf, roleScope } from './admin-roles.js';

describe('administrator roles', () => {
  it('a role allows itself and every lower role, never a higher one', () => {
    const operator = parseScope(roleScope('operator'));
    expect(roleAllows(operator, 'viewer')).toBe(true);
    expect(roleAllows(operator, 'operator')).toBe(true);
    expect(roleAllows(operator, 'admin')).toBe(false);
    expect(roleAllows(parseScope(roleScope('admin')), 'owner')).toBe(false);
    expect(roleAllows(parseScope(roleScope('owner')), 'owner')).toBe(true);
  });

  it('an integration granted *:platform=admin alone is an admin; a scope without a role permission has none', () => {
    expect(roleOf(['*:platform=admin'])).toBe('admin');
    expect(roleAllows(['*:platform=admin'], 'viewer')).toBe(true);
    expect(roleOf(['*:orgs=read', 'acme:platform=owner'])).toBeUndefined();
    expect(roleAllows([], 'viewer')).toBe(false);
  });

  it('the token scope lists the role and every lower one; the role permissions name their role', () => {
    expect(roleScope('owner')).toBe('*:platform=owner *:platform=admin *:platform=operate *:platform=read');
    expect(roleScope('viewer')).toBe('*:platform=read');
    expect(roleNamedBy('*:platform=operate')).toBe('operator');
    expect(roleNamedBy('*:tokens=read')).toBeUndefined();
  });

  it('a role covers the platform permissions of its own and lower roles; admin and owner every other permission', () => {
    expect(roleCovers('admin', '*:platform=admin')).toBe(true);
    expect(roleCovers('admin', '*:platform=owner')).toBe(false);
    expect(roleCovers('admin', 'acme:platform=owner')).toBe(false);
    expect(roleCovers('admin', '*:platform/x=owner')).toBe(false);
    expect(roleCovers('admin', '*:tokens=read')).toBe(true);
    expect(roleCovers('operator', '*:platform=operate')).toBe(true);
    expect(roleCovers('operator', '*:platform=admin')).toBe(false);
    expect(roleCovers('operator', '*:orgs=read')).toBe(false);
    expect(roleCovers('viewer', '*:platform=operate')).toBe(false);
    // An action no role has may mean something one day: only the owner hands it on.
    expect(roleCovers('admin', '*:platform=delete')).toBe(false);
    expect(roleCovers('owner', '*:platform=delete')).toBe(true);
    expect(roleCovers('owner', 'not a permission')).toBe(false);
  });

  it('names what lies beyond a role, every permission when there is none', () => {
    expect(beyondRole('admin', ['*:orgs=read', '*:platform=owner'])).toEqual(['*:platform=owner']);
    expect(beyondRole(undefined, ['*:orgs=read'])).toEqual(['*:orgs=read']);
    expect(beyondRoleMessage('admin', ['*:platform=owner'], 'grant')).toBe('The admin role cannot grant a permission beyond it: *:platform=owner');
  });
});
