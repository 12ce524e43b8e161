import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { CatalogIdRequest, CatalogQuery, ImportTemplatesRequest, SaveTemplateRequest, Subjects } from '@tessera/contracts';
import { CatalogService } from './catalog.service.js';

/** Payloads arrive validated as their contracts class (MessageValidationPipe). */
@Controller()
export class CatalogHandler {
  constructor(private readonly catalog: CatalogService) {}

  @MessagePattern(Subjects.broker.catalog.list)
  list(@Payload() query: CatalogQuery) {
    return this.catalog.list(query);
  }

  @MessagePattern(Subjects.broker.catalog.get)
  get(@Payload() { id }: CatalogIdRequest) {
    return this.catalog.get(id);
  }

  @MessagePattern(Subjects.broker.catalog.save)
  save(@Payload() { template }: SaveTemplateRequest) {
    return this.catalog.save(template);
  }

  @MessagePattern(Subjects.broker.catalog.import)
  import(@Payload() { yaml }: ImportTemplatesRequest) {
    return this.catalog.import(yaml);
  }
}
