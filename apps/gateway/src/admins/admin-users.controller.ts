import { Body, Controller, Delete, Get, HttpCode, HttpException, HttpStatus, Param, Patch, Post, Req, UseGuards } from '@nestjs/common';
import { CreateAdminUserRequest, Subjects, UpdateAdminUserBody, type AdminUserList, type AdminUserView, type AdminUserWithPassword } from '@tessera/contracts';
import { BusClient } from '@tessera/messaging';
import type { FastifyRequest } from 'fastify';
import { beyondRole, beyondRoleMessage, ROLE_PERMISSIONS, type AdminRole } from '@tessera/permissions';
import { callerRole, OWNER, PermissionGuard, RequirePermission, type AuthenticatedRequest } from '../http/permission.guard.js';
import { Answers, Refuses } from '../openapi/decorators.js';
import { clientAddress } from '../http/client-address.js';
import { notFoundUnlessUuid } from '../http/ids.js';

/** Named administrators and their roles: owners only. The last owner cannot be removed or demoted (409). */
@Controller('admin/users')
@UseGuards(PermissionGuard)
@RequirePermission(OWNER)
export class AdminUsersController {
  constructor(private readonly bus: BusClient) {}

  @Answers(200, 'List the administrators, with who is signed in')
  @Get()
  list(): Promise<AdminUserList> {
    return this.bus.call(Subjects.auth.admin.user.list, {});
  }

  /** The new user's one-time password is in this answer only (no-store, as every /admin answer); the first sign-in must replace it. */
  @Answers(201, 'Create an administrator (its one-time password is shown once)')
  @Refuses(409)
  @Post()
  @HttpCode(201)
  create(@Body() body: CreateAdminUserRequest, @Req() request: AuthenticatedRequest): Promise<AdminUserWithPassword> {
    withinCeiling(request, body.role);
    return this.bus.call(Subjects.auth.admin.user.create, { ...body, address: clientAddress(request) });
  }

  @Answers(200, 'Read an administrator')
  @Get(':id')
  get(@Param('id', notFoundUnlessUuid) id: string): Promise<AdminUserView> {
    return this.bus.call(Subjects.auth.admin.user.get, { id });
  }

  /** A new role takes effect at the user's next sign-in: their sessions end now. */
  @Answers(200, "Change an administrator's role (their sessions end); the last owner keeps it (409)")
  @Refuses(409)
  @Patch(':id')
  update(@Param('id', notFoundUnlessUuid) id: string, @Body() body: UpdateAdminUserBody, @Req() request: AuthenticatedRequest): Promise<AdminUserView> {
    withinCeiling(request, body.role);
    return this.bus.call(Subjects.auth.admin.user.update, { ...body, id });
  }

  @Answers(204, 'Remove an administrator (their sessions end); the last owner stays (409)')
  @Refuses(409)
  @Delete(':id')
  @HttpCode(204)
  async delete(@Param('id', notFoundUnlessUuid) id: string): Promise<void> {
    await this.bus.call(Subjects.auth.admin.user.delete, { id });
  }

  /** An owner resets another's password: a one-time password, shown once here; the user's sessions end. */
  @Answers(200, "Reset an administrator's password: a one-time password, shown once; their sessions end")
  @Post(':id/password')
  @HttpCode(200)
  resetPassword(@Param('id', notFoundUnlessUuid) id: string, @Req() request: FastifyRequest): Promise<AdminUserWithPassword> {
    return this.bus.call(Subjects.auth.admin.user.resetPassword, { id, address: clientAddress(request) });
  }
}

/**
 * A role is handed on like any permission: only within the giver's own role (libs/permissions roleCovers). The
 * routes are the owner's today; the ceiling keeps holding should a lower role ever reach them.
 */
function withinCeiling(request: AuthenticatedRequest, role: AdminRole | undefined): void {
  const beyond = role ? beyondRole(callerRole(request), [ROLE_PERMISSIONS[role]]) : [];
  if (beyond.length) throw new HttpException({ error: 'forbidden', message: beyondRoleMessage(callerRole(request), beyond, 'grant') }, HttpStatus.FORBIDDEN);
}
