import { IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { ADMIN_ROLES, type AdminRole } from './admin-roles.js';

const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._@-]{0,63}$/;
const USERNAME_MESSAGE = 'username must be 1-64 lowercase letters, digits, ".", "_", "@" or "-", starting with a letter or digit';
const ROLE_MESSAGE = `role must be one of ${ADMIN_ROLES.join(', ')}`;

/** POST /admin/users: a named administrator; its first password is generated, shown once and must be changed. */
export class CreateAdminUserRequest {
  @IsString() @Matches(USERNAME_PATTERN, { message: USERNAME_MESSAGE }) username: string;
  @IsIn(ADMIN_ROLES, { message: ROLE_MESSAGE }) role: AdminRole;
}

/** PATCH /admin/users/:id: the role (the username is the user's name in the audit log, so it never changes). */
export class UpdateAdminUserBody {
  @IsOptional() @IsIn(ADMIN_ROLES, { message: ROLE_MESSAGE }) role?: AdminRole;
}

export class AdminUserIdRequest {
  @IsUUID('all') id: string;
}

export class UpdateAdminUserRequest extends UpdateAdminUserBody {
  @IsUUID('all') id: string;
}

export interface AdminUserView {
  id: string;
  username: string;
  role: AdminRole;
  /** Set after a reset (and for a new user): the next sign-in may only change the password. */
  mustChangePassword: boolean;
  createdAt: string;
  updatedAt: string;
  /** Sessions that are live now (signed in, neither ended nor idle), and when one was last used. */
  activeSessions: number;
  lastSeenAt: string | null;
}

/** A new user or a reset: the one-time password, shown once. */
export interface AdminUserWithPassword extends AdminUserView {
  oneTimePassword: string;
}

/** GET /admin/session: who is signed in on this token, and until when the session may last. */
export interface AdminSessionView {
  sessionId: string;
  userId: string;
  username: string;
  role: AdminRole;
  mustChangePassword: boolean;
  startedAt: string;
  /** The longest the session can be renewed to (TESSERA_ADMIN_SESSION_HOURS after sign-in). */
  endsAt: string;
  /** When the presented token expires unless renewed (TESSERA_ADMIN_IDLE_MINUTES of no use). */
  idleExpiresAt: string;
}

/** The session the presented token belongs to (its `fid`, read by the gateway from the verified token). */
export class AdminSessionRequest {
  @IsUUID('all') sessionId: string;
}

/** The gateway adds the caller's address: hashing a password runs under the per-address fair queue. */
export class CreateAdminUserCommand extends CreateAdminUserRequest {
  @IsString() @MaxLength(200) address: string;
}

export class ResetAdminPasswordCommand extends AdminUserIdRequest {
  @IsString() @MaxLength(200) address: string;
}
