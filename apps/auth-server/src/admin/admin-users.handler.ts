import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  AdminSessionRequest,
  AdminUserIdRequest,
  CreateAdminUserCommand,
  ResetAdminPasswordCommand,
  Subjects,
  UpdateAdminUserRequest,
} from '@tessera/contracts';
import { AdminSessionsService } from './admin-sessions.service.js';
import { AdminUsersService } from './admin-users.service.js';

/** Named administrators and their sessions; the gateway lets only owners at the users. Payloads arrive validated. */
@Controller()
export class AdminUsersHandler {
  constructor(
    private readonly users: AdminUsersService,
    private readonly sessions: AdminSessionsService,
  ) {}

  @MessagePattern(Subjects.auth.admin.user.list)
  list() {
    return this.users.list();
  }

  @MessagePattern(Subjects.auth.admin.user.get)
  get(@Payload() { id }: AdminUserIdRequest) {
    return this.users.get(id);
  }

  @MessagePattern(Subjects.auth.admin.user.create)
  create(@Payload() { address, ...request }: CreateAdminUserCommand) {
    return this.users.create(request, address);
  }

  @MessagePattern(Subjects.auth.admin.user.update)
  update(@Payload() request: UpdateAdminUserRequest) {
    return this.users.update(request);
  }

  @MessagePattern(Subjects.auth.admin.user.delete)
  async delete(@Payload() { id }: AdminUserIdRequest) {
    await this.users.delete(id);
    return { deleted: true };
  }

  @MessagePattern(Subjects.auth.admin.user.resetPassword)
  resetPassword(@Payload() { id, address }: ResetAdminPasswordCommand) {
    return this.users.resetPassword(id, address);
  }

  @MessagePattern(Subjects.auth.admin.session.get)
  session(@Payload() { sessionId }: AdminSessionRequest) {
    return this.sessions.view(sessionId);
  }

  @MessagePattern(Subjects.auth.admin.session.renew)
  renew(@Payload() { sessionId }: AdminSessionRequest) {
    return this.sessions.renew(sessionId);
  }
}
