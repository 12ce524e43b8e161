import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { AdminUserIdRequest, BusError, CreateAdminUserRequest, RenewAdminSessionRequest, Subjects, UpdateAdminUserRequest, validateMessage } from '@tessera/contracts';
import { AdminSessionsService } from './admin-sessions.service.js';
import { AdminUsersService } from './admin-users.service.js';

const addressOf = (payload: unknown) => String((payload as { address?: unknown })?.address ?? '');
const withoutAddress = (payload: unknown) => {
  const { address: _address, ...rest } = (payload ?? {}) as Record<string, unknown>;
  return rest;
};

/** Named administrators and their sessions; the gateway lets only owners at the users. */
@Controller()
export class AdminUsersHandler {
  constructor(private readonly users: AdminUsersService, private readonly sessions: AdminSessionsService) {}

  @MessagePattern(Subjects.auth.admin.user.list)
  list() {
    return this.users.list();
  }

  @MessagePattern(Subjects.auth.admin.user.get)
  async get(@Payload() payload: unknown) {
    return this.users.get((await validateMessage(AdminUserIdRequest, payload)).id);
  }

  @MessagePattern(Subjects.auth.admin.user.create)
  async create(@Payload() payload: unknown) {
    return this.users.create(await validateMessage(CreateAdminUserRequest, withoutAddress(payload)), addressOf(payload));
  }

  @MessagePattern(Subjects.auth.admin.user.update)
  async update(@Payload() payload: unknown) {
    return this.users.update(await validateMessage(UpdateAdminUserRequest, payload));
  }

  @MessagePattern(Subjects.auth.admin.user.delete)
  async delete(@Payload() payload: unknown) {
    await this.users.delete((await validateMessage(AdminUserIdRequest, payload)).id);
    return {};
  }

  @MessagePattern(Subjects.auth.admin.user.resetPassword)
  async resetPassword(@Payload() payload: unknown) {
    return this.users.resetPassword((await validateMessage(AdminUserIdRequest, withoutAddress(payload))).id, addressOf(payload));
  }

  @MessagePattern(Subjects.auth.admin.session.get)
  async session(@Payload() payload: unknown) {
    const sessionId = (payload as { sessionId?: unknown })?.sessionId;
    if (typeof sessionId !== 'string') throw new BusError('not_found', 'This token belongs to no session');
    return this.sessions.view(sessionId);
  }

  @MessagePattern(Subjects.auth.admin.session.renew)
  async renew(@Payload() payload: unknown) {
    return this.sessions.renew((await validateMessage(RenewAdminSessionRequest, payload)).sessionId);
  }
}
