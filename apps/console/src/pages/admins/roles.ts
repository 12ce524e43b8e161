/** The administrators' roles, lowest first (libs/permissions admin-roles). */
export const ROLES = ['viewer', 'operator', 'admin', 'owner'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_OPTIONS = [
  { value: 'viewer', label: 'Viewer — reads everything, changes nothing' },
  { value: 'operator', label: 'Operator — outbound tokens, instances, revocations; no secrets' },
  { value: 'admin', label: 'Admin — everything but the administrators' },
  { value: 'owner', label: 'Owner — everything, including the administrators' },
] as const;

/** Whether `held` is `needed` or a higher role. */
export function roleAtLeast(held: string | undefined, needed: Role): boolean {
  return held !== undefined && ROLES.indexOf(held as Role) >= ROLES.indexOf(needed);
}

export interface AdminUser {
  id: string;
  username: string;
  role: Role;
  mustChangePassword: boolean;
  createdAt: string;
  updatedAt: string;
  activeSessions: number;
  lastSeenAt: string | null;
}

export interface SignedInAs {
  sessionId: string;
  username: string;
  role: Role;
  mustChangePassword: boolean;
  endsAt: string;
}
