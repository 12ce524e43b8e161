import { describe, expect, it } from 'vitest';
import { parseScope } from './permission.js';
import { roleAllows, roleNamedBy, roleOf, roleScope } from './admin-roles.js';

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
});
