import { BadRequestException, Body, Controller, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBody, ApiConsumes } from '@nestjs/swagger';
import { CatalogQuery, SaveTemplateRequest, Subjects, type CatalogEntry, type CatalogList, type ImportTemplatesReply } from '@tessera/contracts';
import { BusClient } from '@tessera/messaging';
import { ADMIN, PermissionGuard, RequirePermission, VIEWER } from '../http/permission.guard.js';
import { Answers, Refuses } from '../openapi/decorators.js';

/**
 * The provider catalog: /admin/catalog. Reading it is a viewer's; adding templates is an admin's, since a template
 * names the URLs client secrets are sent to (ADR 0025, 0026).
 */
@Controller('admin/catalog')
@UseGuards(PermissionGuard)
@RequirePermission(ADMIN)
export class CatalogController {
  constructor(private readonly bus: BusClient) {}

  @RequirePermission(VIEWER)
  @Answers(200, 'List the catalog: search by words, filter by category')
  @Get()
  list(@Query() query: CatalogQuery): Promise<CatalogList> {
    return this.bus.call(Subjects.broker.catalog.list, query);
  }

  @RequirePermission(VIEWER)
  @Answers(200, 'Read a whole template, with its variables')
  @Get(':id')
  get(@Param('id') id: string): Promise<CatalogEntry> {
    return this.bus.call(Subjects.broker.catalog.get, { id });
  }

  /** A template of the admin's own, checked by the catalog's rules; saving its id again needs a higher version. */
  @Answers(201, 'Add (or raise the version of) a template of your own')
  @Refuses(409)
  @Post()
  @HttpCode(201)
  save(@Body() body: SaveTemplateRequest): Promise<CatalogEntry> {
    return this.bus.call(Subjects.broker.catalog.save, body);
  }

  /** A Nango-format providers.yaml as the body (application/yaml): its OAuth 2 entries become templates. */
  @Answers(201, 'Import the OAUTH2 and OAUTH2_CC entries of a Nango-format providers.yaml; every other entry is answered as skipped, with why')
  @ApiConsumes('application/yaml')
  @ApiBody({ schema: { type: 'string', description: 'A providers.yaml in the Nango format' } })
  @Post('import')
  @HttpCode(201)
  import(@Body() body: unknown): Promise<ImportTemplatesReply> {
    if (typeof body !== 'string')
      throw new BadRequestException({ error: 'validation_failed', message: 'Send the providers.yaml as the body, with Content-Type: application/yaml' });
    return this.bus.call(Subjects.broker.catalog.import, { yaml: body });
  }
}
