import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, MaxLength, Min, ValidateNested } from 'class-validator';
import { ADMIN_ROLES, type AdminRole } from './admin-roles.js';
import { Doc, IsTimestamp, Nullable, Secret } from './schema.js';

const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._@-]{0,63}$/;
const USERNAME_MESSAGE = 'username must be 1-64 lowercase letters, digits, ".", "_", "@" or "-", starting with a letter or digit';
const ROLE_MESSAGE = `role must be one of ${ADMIN_ROLES.join(', ')}`;

/** POST /admin/users: a named administrator; its first password is generated, shown once and must be changed. */
@Doc('A new administrator; the first password is generated, shown once and must be changed')
export class CreateAdminUserRequest {
  @Doc('The name to sign in with, as the audit log names them', { examples: ['otto'] })
  @IsString()
  @Matches(USERNAME_PATTERN, { message: USERNAME_MESSAGE })
  username: string;
  @Doc('What they may do: viewer, operator, admin or owner') @IsIn(ADMIN_ROLES, { message: ROLE_MESSAGE }) role: AdminRole;
}

/** PATCH /admin/users/:id: the role (the username is the user's name in the audit log, so it never changes). */
@Doc('A new role for an administrator (the username never changes: the audit log names them by it)')
export class UpdateAdminUserBody {
  @Doc('What they may do from their next sign-in') @IsOptional() @IsIn(ADMIN_ROLES, { message: ROLE_MESSAGE }) role?: AdminRole;
}

@Doc('One administrator, by id')
export class AdminUserIdRequest {
  @Doc('The administrator') @IsUUID('all') id: string;
}

@Doc('An administrator and their new role')
export class UpdateAdminUserRequest extends UpdateAdminUserBody {
  @Doc('The administrator') @IsUUID('all') id: string;
}

@Doc('A named administrator, with who is signed in')
export class AdminUserView {
  @Doc('Their id') @IsUUID('all') id: string;
  @Doc('The name they sign in with', { examples: ['otto'] }) @IsString() username: string;
  @Doc('What they may do') @IsIn(ADMIN_ROLES) role: AdminRole;
  @Doc('Set after a reset (and for a new user): the next sign-in may only change the password') @IsBoolean() mustChangePassword: boolean;
  @Doc('When they were created') @IsTimestamp() createdAt: string;
  @Doc('When their record last changed') @IsTimestamp() updatedAt: string;
  @Doc('Sessions that are live now (signed in, neither ended nor idle)') @IsInt() @Min(0) activeSessions: number;
  @Doc('When one of their sessions was last used; null: never') @Nullable() @IsTimestamp() lastSeenAt: string | null;
}

/** A new user or a reset: the one-time password, shown once. */
@Doc('An administrator with a one-time password, shown this once')
export class AdminUserWithPassword extends AdminUserView {
  @Secret() @Doc('Shown once: the first sign-in must replace it', { examples: ['<one-time password>'] }) @IsString() oneTimePassword: string;
}

@Doc('Every administrator')
export class AdminUserList {
  @Doc('The administrators') @ValidateNested({ each: true }) @Type(() => AdminUserView) items: AdminUserView[];
}

/** GET /admin/session: who is signed in on this token, and until when the session may last. */
@Doc('Who is signed in on this token, and until when the session may last')
export class AdminSessionView {
  @Doc("The session (the token's `fid`)") @IsUUID('all') sessionId: string;
  @Doc('The administrator') @IsUUID('all') userId: string;
  @Doc('Their username') @IsString() username: string;
  @Doc('Their role') @IsIn(ADMIN_ROLES) role: AdminRole;
  @Doc('The token may only change the password') @IsBoolean() mustChangePassword: boolean;
  @Doc('When they signed in') @IsTimestamp() startedAt: string;
  @Doc('The longest the session can be renewed to (TESSERA_ADMIN_SESSION_HOURS after sign-in)') @IsTimestamp() endsAt: string;
  @Doc('When the presented token expires unless renewed (TESSERA_ADMIN_IDLE_MINUTES of no use)') @IsTimestamp() idleExpiresAt: string;
}

/** The session the presented token belongs to (its `fid`, read by the gateway from the verified token). */
@Doc('The session of the presented token')
export class AdminSessionRequest {
  @Doc("The session (the token's `fid`)") @IsUUID('all') sessionId: string;
}

/** The gateway adds the caller's address: hashing a password runs under the per-address fair queue. */
@Doc('A new administrator, with the address that asked')
export class CreateAdminUserCommand extends CreateAdminUserRequest {
  @Doc("The caller's address (hashing a password runs under the per-address fair queue)") @IsString() @MaxLength(200) address: string;
}

@Doc('A password reset, with the address that asked')
export class ResetAdminPasswordCommand extends AdminUserIdRequest {
  @Doc("The caller's address (hashing a password runs under the per-address fair queue)") @IsString() @MaxLength(200) address: string;
}
