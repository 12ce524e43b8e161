import { Body, Controller, Delete, Get, HttpCode, NotFoundException, Param, ParseUUIDPipe, Patch, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBody, ApiConsumes } from '@nestjs/swagger';
import {
  CreateProviderRequest,
  ImportProvidersQuery,
  ListRequest,
  Subjects,
  TestProviderFields,
  UpdateProviderFields,
  type ImportProvidersRequest,
  type ProviderPage,
  type ProviderTestReply,
  type ProviderView,
} from '@tessera/contracts';
import { BusClient } from '@tessera/messaging';
import { ADMIN, PermissionGuard, RequirePermission, VIEWER } from '../http/permission.guard.js';
import { Answers, QueryParameters, Refuses } from '../openapi/decorators.js';

const providerId = () => new ParseUUIDPipe({ exceptionFactory: () => new NotFoundException({ error: 'not_found', message: 'No provider has that id' }) });

/** OAuth providers of the outbound token broker: /admin/providers. The client secret is write-only. */
@Controller('admin/providers')
@UseGuards(PermissionGuard)
@RequirePermission(ADMIN)
export class ProvidersController {
  constructor(private readonly bus: BusClient) {}

  @Answers(201, 'Create a provider, typed in full or from a catalog template (template, variables)')
  @Refuses(409)
  @Post()
  @HttpCode(201)
  create(@Body() body: CreateProviderRequest): Promise<ProviderView> {
    return this.bus.call(Subjects.broker.provider.create, body);
  }

  /**
   * An OpenAPI 3 document, sent as JSON or YAML (application/yaml), or wrapped: `{document, namePrefix?, clientId?,
   * clientSecret?}`. The query may carry namePrefix and clientId (never the secret: URLs end up in logs).
   */
  @Answers(201, 'Create providers from the oauth2 security schemes of an OpenAPI 3 document')
  @ApiConsumes('application/json', 'application/yaml')
  @ApiBody({ schema: { description: 'An OpenAPI 3 document (JSON or YAML), or `{document, namePrefix?, clientId?, clientSecret?}`' } })
  @QueryParameters(ImportProvidersQuery)
  @Refuses(409)
  @Post('import')
  @HttpCode(201)
  import(@Body() body: unknown, @Query('namePrefix') namePrefix?: string, @Query('clientId') clientId?: string): Promise<ProviderPage> {
    const wrapped = body !== null && typeof body === 'object' && !Array.isArray(body) && 'document' in body;
    const payload: ImportProvidersRequest = wrapped ? { ...(body as ImportProvidersRequest) } : { document: body ?? null };
    return this.bus.call(Subjects.broker.provider.import, { ...payload, ...(namePrefix ? { namePrefix } : {}), ...(clientId ? { clientId } : {}) });
  }

  @RequirePermission(VIEWER)
  @Answers(200, 'List providers')
  @Get()
  list(@Query() query: ListRequest): Promise<ProviderPage> {
    return this.bus.call(Subjects.broker.provider.list, query);
  }

  @RequirePermission(VIEWER)
  @Answers(200, 'Read a provider')
  @Get(':id')
  get(@Param('id', providerId()) id: string): Promise<ProviderView> {
    return this.bus.call(Subjects.broker.provider.get, { id });
  }

  @Answers(200, 'Change a provider')
  @Refuses(409)
  @Patch(':id')
  update(@Param('id', providerId()) id: string, @Body() body: UpdateProviderFields): Promise<ProviderView> {
    return this.bus.call(Subjects.broker.provider.update, { ...body, id });
  }

  /**
   * Runs the provider's flow once (client_credentials / password: a token request; authorization_code: its two
   * endpoints) and answers with each step and the provider's answer, every token in it redacted. Stores nothing.
   * A provider that is down is `ok: false`, not an error.
   */
  @Answers(200, "Run the provider's flow once and show each step (stores nothing)")
  @Post(':id/test')
  @HttpCode(200)
  test(@Param('id', providerId()) id: string, @Body() body: TestProviderFields): Promise<ProviderTestReply> {
    return this.bus.call(Subjects.broker.provider.test, { ...body, id });
  }

  /** A newer version of its template is offered in the view (templateUpdate); this applies it. */
  @Answers(200, "Move a provider made from a template to the template's newest version")
  @Refuses(409)
  @Post(':id/template-update')
  @HttpCode(200)
  applyTemplateUpdate(@Param('id', providerId()) id: string): Promise<ProviderView> {
    return this.bus.call(Subjects.broker.provider.applyTemplateUpdate, { id });
  }

  /**
   * private_key_jwt: a new signing key signs from now on; the previous one stays in the provider's JWKS
   * (/providers/:id/jwks.json) until the next rotation. A key given by an admin is replaced by giving another (409).
   */
  @Answers(200, "Rotate a provider's signing key (the previous one stays published until the next rotation)")
  @Refuses(409)
  @Post(':id/signing-key')
  @HttpCode(200)
  rotateSigningKey(@Param('id', providerId()) id: string): Promise<ProviderView> {
    return this.bus.call(Subjects.broker.provider.rotateSigningKey, { id });
  }

  /** Like every DELETE: 204 No Content. */
  @Answers(204, 'Delete a provider (409 while a token uses it)')
  @Refuses(409)
  @Delete(':id')
  @HttpCode(204)
  async delete(@Param('id', providerId()) id: string): Promise<void> {
    await this.bus.call(Subjects.broker.provider.delete, { id });
  }
}
