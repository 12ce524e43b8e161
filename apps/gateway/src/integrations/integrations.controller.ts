import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Req, UseGuards } from '@nestjs/common';
import {
  CreateIntegrationRequest,
  ListFamiliesQuery,
  ListIntegrationsRequest,
  RotateSecretBody,
  Subjects,
  UpdateIntegrationBody,
  type FamilyPage,
  type IntegrationView,
  type IntegrationPage,
  type IntegrationWithSecret,
  type PermissionList,
} from '@tessera/contracts';
import { BusClient } from '@tessera/messaging';
import { ADMIN, callerRole, OPERATOR, PermissionGuard, RequirePermission, VIEWER, type AuthenticatedRequest } from '../http/permission.guard.js';
import { notFoundUnlessUuid } from '../http/ids.js';
import { Answers, Refuses } from '../openapi/decorators.js';

/** Nobody grants, re-keys or re-opens a permission beyond their own role: the registry refuses it (403), given the caller's role. */
@Controller('admin')
@UseGuards(PermissionGuard)
@RequirePermission(ADMIN)
export class IntegrationsController {
  constructor(private readonly bus: BusClient) {}

  @Answers(201, 'Create an integration (its secret is shown this once)')
  @Refuses(409)
  @Post('integrations')
  @HttpCode(201)
  create(@Body() body: CreateIntegrationRequest, @Req() request: AuthenticatedRequest): Promise<IntegrationWithSecret> {
    return this.bus.call(Subjects.registry.integration.create, { ...body, callerRole: callerRole(request) });
  }

  @RequirePermission(VIEWER)
  @Answers(200, 'List integrations')
  @Get('integrations')
  list(@Query() query: ListIntegrationsRequest): Promise<IntegrationPage> {
    return this.bus.call(Subjects.registry.integration.list, query);
  }

  @RequirePermission(VIEWER)
  @Answers(200, 'Read an integration')
  @Get('integrations/:id')
  get(@Param('id', notFoundUnlessUuid) id: string): Promise<IntegrationView> {
    return this.bus.call(Subjects.registry.integration.get, { id });
  }

  @Answers(200, 'Change an integration (in force when this answers)')
  @Refuses(409)
  @Patch('integrations/:id')
  update(@Param('id', notFoundUnlessUuid) id: string, @Body() body: UpdateIntegrationBody, @Req() request: AuthenticatedRequest): Promise<IntegrationView> {
    return this.bus.call(Subjects.registry.integration.update, { ...body, id, callerRole: callerRole(request) });
  }

  @Answers(204, 'Delete an integration and revoke everything issued to it')
  @Delete('integrations/:id')
  @HttpCode(204)
  async delete(@Param('id', notFoundUnlessUuid) id: string): Promise<void> {
    await this.bus.call(Subjects.registry.integration.delete, { id });
  }

  @Answers(200, 'Rotate the app secret (the old one works for graceSeconds)')
  @Post('integrations/:id/secret')
  @HttpCode(200)
  rotateSecret(
    @Param('id', notFoundUnlessUuid) id: string,
    @Body() body: RotateSecretBody,
    @Req() request: AuthenticatedRequest,
  ): Promise<IntegrationWithSecret> {
    return this.bus.call(Subjects.registry.integration.rotateSecret, { ...body, id, callerRole: callerRole(request) });
  }

  /** The live grants, newest first: `?limit=` (1-500, default 100) and `?cursor=` (the previous page's nextCursor). */
  @RequirePermission(VIEWER)
  @Answers(200, 'The live grants, newest first')
  @Get('integrations/:id/tokens')
  async tokens(@Param('id', notFoundUnlessUuid) id: string, @Query() query: ListFamiliesQuery): Promise<FamilyPage> {
    await this.bus.call(Subjects.registry.integration.get, { id });
    return this.bus.call(Subjects.auth.family.list, { ...query, integrationId: id });
  }

  /** "Revoke all": every grant of the integration and every access token issued to it so far. */
  @RequirePermission(OPERATOR)
  @Answers(204, 'Revoke every grant and every access token issued to the integration so far')
  @Delete('integrations/:id/tokens')
  @HttpCode(204)
  async revokeAllTokens(@Param('id', notFoundUnlessUuid) id: string): Promise<void> {
    const integration = await this.bus.call(Subjects.registry.integration.get, { id });
    await this.bus.call(Subjects.auth.family.revokeAll, { integrationId: id, clientId: integration.applicationId });
  }

  @RequirePermission(OPERATOR)
  @Answers(204, 'Revoke one grant')
  @Delete('integrations/:id/tokens/:familyId')
  @HttpCode(204)
  async revokeToken(@Param('id', notFoundUnlessUuid) id: string, @Param('familyId', notFoundUnlessUuid) familyId: string): Promise<void> {
    await this.bus.call(Subjects.auth.family.revoke, { integrationId: id, familyId });
  }

  @RequirePermission(VIEWER)
  @Answers(200, 'Every permission in use, with how many integrations hold it')
  @Get('permissions')
  permissions(): Promise<PermissionList> {
    return this.bus.call(Subjects.registry.permission.list, {});
  }
}
