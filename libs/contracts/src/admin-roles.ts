/**
 * The administrators' roles, lowest first. Each is a permission in the ordinary grammar, so an integration can hold
 * one too; what a role allows is `@tessera/permissions`' business (admin-roles.ts).
 */
export const ADMIN_ROLES = ['viewer', 'operator', 'admin', 'owner'] as const;
export type AdminRole = (typeof ADMIN_ROLES)[number];

export const ROLE_PERMISSIONS: Readonly<Record<AdminRole, string>> = Object.freeze({
  viewer: '*:platform=read',
  operator: '*:platform=operate',
  admin: '*:platform=admin',
  owner: '*:platform=owner',
});
