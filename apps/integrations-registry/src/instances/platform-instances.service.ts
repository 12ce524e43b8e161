import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { BusError, Events, type InstanceRegisteredEvent, type Page, type PlatformInstanceView, type RegisterInstanceRequest } from '@tessera/contracts';
import { EventOutbox, type Clock } from '@tessera/persistence';
import { CLOCK } from '@tessera/runtime';
import { DataSource, QueryFailedError } from 'typeorm';
import { PlatformInstance } from './platform-instance.entity.js';

const UNIQUE_VIOLATION = '23505';

export function toView(instance: PlatformInstance): PlatformInstanceView {
  return {
    id: instance.id,
    name: instance.name,
    baseUrl: instance.baseUrl,
    createdAt: instance.createdAt.toISOString(),
    updatedAt: instance.updatedAt.toISOString(),
  };
}

@Injectable()
export class PlatformInstancesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: EventOutbox,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async register(request: RegisterInstanceRequest): Promise<PlatformInstanceView> {
    let instance: PlatformInstance;
    try {
      instance = await this.dataSource.transaction(async (manager) => {
        const saved = await manager.save(manager.create(PlatformInstance, { id: this.clock.uuid(), name: request.name, baseUrl: request.baseUrl.replace(/\/+$/, '') }));
        await this.outbox.record<InstanceRegisteredEvent>(manager, Events.instanceRegistered, {
          instanceId: saved.id, name: saved.name, baseUrl: saved.baseUrl, registeredAt: saved.createdAt.toISOString(),
        });
        return saved;
      });
    } catch (error) {
      if (error instanceof QueryFailedError && (error.driverError as { code?: string })?.code === UNIQUE_VIOLATION) {
        throw BusError.conflict(`An instance named "${request.name}" is already registered`);
      }
      throw error;
    }
    void this.outbox.flush();
    return toView(instance);
  }

  async get(id: string): Promise<PlatformInstanceView> {
    const instance = await this.dataSource.getRepository(PlatformInstance).findOneBy({ id });
    if (!instance) throw BusError.notFound('Instance', id);
    return toView(instance);
  }

  async list(limit = 50, offset = 0): Promise<Page<PlatformInstanceView>> {
    const [items, total] = await this.dataSource.getRepository(PlatformInstance).findAndCount({ order: { name: 'ASC' }, take: limit, skip: offset });
    return { items: items.map(toView), total, limit, offset };
  }
}
