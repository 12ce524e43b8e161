import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Transaction } from '@tessera/persistence';
import { DataSource } from 'typeorm';
import { CustomTemplate } from './custom-template.entity.js';

/** Admins' own templates, in the broker's schema (ADR 0032). Writes take the caller's transaction (with their audit lines). */
export abstract class CustomTemplateStore {
  abstract save(tx: Transaction, template: CustomTemplate): Promise<CustomTemplate>;
  abstract get(id: string): Promise<CustomTemplate | null>;
  abstract all(): Promise<CustomTemplate[]>;
}

@Injectable()
export class SqlCustomTemplateStore extends CustomTemplateStore {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    super();
  }

  save(tx: Transaction, template: CustomTemplate): Promise<CustomTemplate> {
    return tx.save(template);
  }

  get(id: string): Promise<CustomTemplate | null> {
    return this.dataSource.getRepository(CustomTemplate).findOneBy({ id });
  }

  all(): Promise<CustomTemplate[]> {
    return this.dataSource.getRepository(CustomTemplate).find({ order: { id: 'ASC' } });
  }
}
