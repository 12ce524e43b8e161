import { Module } from '@nestjs/common';
import { CatalogHandler } from './catalog.handler.js';
import { CatalogService } from './catalog.service.js';
import { CustomTemplateStore, SqlCustomTemplateStore } from './custom-template.store.js';

@Module({
  controllers: [CatalogHandler],
  providers: [CatalogService, { provide: CustomTemplateStore, useClass: SqlCustomTemplateStore }],
  exports: [CatalogService],
})
export class CatalogModule {}
