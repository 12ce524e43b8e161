import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Req, UseGuards } from '@nestjs/common';
import { CreateAdminUserRequest, Subjects, UpdateAdminUserBody, type AdminUserView, type AdminUserWithPassword } from '@tessera/contracts';
import { BusClient } from '@tessera/messaging';
import type { FastifyRequest } from 'fastify';
import { OWNER, PermissionGuard, RequirePermission } from '../http/admin.guard.js';
import { clientAddress } from '../http/client-address.js';
import { notFoundUnlessUuid } from '../http/ids.js';

/** Named administrators and their roles: owners only. The last owner cannot be removed or demoted (409). */
@Controller('admin/users')
@UseGuards(PermissionGuard)
@RequirePermission(OWNER)
export class AdminUsersController {
  constructor(private readonly bus: BusClient) {}

  @Get()
  list(): Promise<{ items: AdminUserView[] }> {
    return this.bus.call(Subjects.auth.admin.user.list, {});
  }

  /** The new user's one-time password is in this answer only (no-store, as every /admin answer); the first sign-in must replace it. */
  @Post()
  @HttpCode(201)
  create(@Body() body: CreateAdminUserRequest, @Req() request: FastifyRequest): Promise<AdminUserWithPassword> {
    return this.bus.call(Subjects.auth.admin.user.create, { ...body, address: clientAddress(request) });
  }

  @Get(':id')
  get(@Param('id', notFoundUnlessUuid) id: string): Promise<AdminUserView> {
    return this.bus.call(Subjects.auth.admin.user.get, { id });
  }

  /** A new role takes effect at the user's next sign-in: their sessions end now. */
  @Patch(':id')
  update(@Param('id', notFoundUnlessUuid) id: string, @Body() body: UpdateAdminUserBody): Promise<AdminUserView> {
    return this.bus.call(Subjects.auth.admin.user.update, { ...body, id });
  }

  @Delete(':id')
  @HttpCode(204)
  async delete(@Param('id', notFoundUnlessUuid) id: string): Promise<void> {
    await this.bus.call(Subjects.auth.admin.user.delete, { id });
  }

  /** An owner resets another's password: a one-time password, shown once here; the user's sessions end. */
  @Post(':id/password')
  @HttpCode(200)
  resetPassword(@Param('id', notFoundUnlessUuid) id: string, @Req() request: FastifyRequest): Promise<AdminUserWithPassword> {
    return this.bus.call(Subjects.auth.admin.user.resetPassword, { id, address: clientAddress(request) });
  }
}
