import { ADMIN_ROLES, ROLE_PERMISSIONS, type AdminRole } from '@tessera/contracts';
import { isCovered, parsePermission } from './permission.js';

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
  return isRoleAtLeast(roleOf(granted), role);
}

/** Whether `held` is `needed` or a higher role. */
export function isRoleAtLeast(held: AdminRole | undefined, needed: AdminRole): boolean {
  return held !== undefined && ADMIN_ROLES.indexOf(held) >= ADMIN_ROLES.indexOf(needed);
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

/**
 * The role ceiling: whether someone holding `role` may hand `permission` on — grant it to an integration, keep an
 * integration holding it within reach (its secret, its consent), or name it in a user's role. A platform permission
 * names a role by its action and is covered by that role or a higher one (an action no role has, only by the owner);
 * any other permission by admin and owner, who may do whatever an integration may be granted (`mayCall` at the edge).
 * Without this, whoever may create integrations could mint a token above their own role and act with it.
 */
export function roleCovers(role: AdminRole, permission: string): boolean {
  const parsed = parsePermission(permission);
  if (!parsed) return false;
  if (parsed.resource === 'platform') {
    return isRoleAtLeast(role, ADMIN_ROLES.find((r) => ROLE_PERMISSIONS[r].endsWith(`=${parsed.action}`)) ?? 'owner');
  }
  return isRoleAtLeast(role, 'admin');
}

/** The permissions of `permissions` that `role` does not cover (every one, when there is no role). */
export function beyondRole(role: AdminRole | undefined, permissions: readonly string[]): string[] {
  return permissions.filter((permission) => role === undefined || !roleCovers(role, permission));
}

/** The refusal's words, naming what lies outside the ceiling. */
export function beyondRoleMessage(role: AdminRole | undefined, beyond: readonly string[], doing: string): string {
  const list = beyond.slice(0, 10).join(', ') + (beyond.length > 10 ? ', …' : '');
  return `${role ? `The ${role} role` : 'A caller without a role'} cannot ${doing} ${beyond.length > 1 ? 'permissions' : 'a permission'} beyond it: ${list}`;
}
