import { ADMIN_ROLES, type AdminRole } from '@tessera/contracts';

export const ROLE_OPTIONS = [
  { value: 'viewer', label: 'Viewer — reads everything, changes nothing' },
  { value: 'operator', label: 'Operator — outbound tokens, instances, revocations; no secrets' },
  { value: 'admin', label: 'Admin — everything but the administrators' },
  { value: 'owner', label: 'Owner — everything, including the administrators' },
] as const satisfies readonly { value: AdminRole; label: string }[];

/** Whether `held` is `needed` or a higher role (the roles are listed lowest first). */
export function roleAtLeast(held: string | undefined, needed: AdminRole): boolean {
  return held !== undefined && ADMIN_ROLES.indexOf(held as AdminRole) >= ADMIN_ROLES.indexOf(needed);
}
