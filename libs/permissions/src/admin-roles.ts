import { ADMIN_ROLES, ROLE_PERMISSIONS, type AdminRole } from '@tessera/contracts';
import { isCovered } from './permission.js';

/**
 * The administrators' roles (named in contracts): `*:platform=read` (viewer), `*:platform=operate`
 * (operator), `*:platform=admin` (admin, what `*:platform=admin` always meant: everything but the administrators
 * themselves), `*:platform=owner` (owner). Each allows the ones below it.
 */
export { ADMIN_ROLES, ROLE_PERMISSIONS, type AdminRole };

/** The highest role a granted scope holds, if any. */
export function roleOf(granted: readonly string[]): AdminRole | undefined {
  return [...ADMIN_ROLES].reverse().find((role) => isCovered(granted, ROLE_PERMISSIONS[role]));
}

/** Whether a scope holds `role` or a higher one (an owner may do what an operator may). */
export function roleAllows(granted: readonly string[], role: AdminRole): boolean {
  const held = roleOf(granted);
  return held !== undefined && ADMIN_ROLES.indexOf(held) >= ADMIN_ROLES.indexOf(role);
}

/** The role a permission names, when it is one of the role permissions. */
export function roleNamedBy(permission: string): AdminRole | undefined {
  return ADMIN_ROLES.find((role) => ROLE_PERMISSIONS[role] === permission);
}

/**
 * What an administrator's token carries: the role's permission and every lower one, so whatever checks a single
 * permission (the broker's `*:platform=admin` rule, say) sees what the role allows.
 */
export function roleScope(role: AdminRole): string {
  return ADMIN_ROLES.slice(0, ADMIN_ROLES.indexOf(role) + 1)
    .reverse()
    .map((r) => ROLE_PERMISSIONS[r])
    .join(' ');
}
