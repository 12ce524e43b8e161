import type { DeadLetterPage, DeadLetterView, ListDeadLettersQuery } from '@tessera/contracts';
import type { Clock } from '@tessera/observability';
import type { DataSource } from 'typeorm';
import { DeadLetterRecord } from './messaging-tables.js';

type Letter = Omit<DeadLetterView, 'id' | 'service' | 'recordedAt'>;

/** The messages this service's durable consumers set aside, for an operator to list (newest first). */
export class DeadLetterStore {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly service: string,
  ) {}

  async record(letter: Letter): Promise<void> {
    await this.dataSource.getRepository(DeadLetterRecord).insert({ id: this.clock.uuid(), ...letter, recordedAt: this.clock.now() });
  }

  async list(query: ListDeadLettersQuery): Promise<DeadLetterPage> {
    const rows = await this.dataSource
      .getRepository(DeadLetterRecord)
      .createQueryBuilder('d')
      .orderBy('d.recordedAt', 'DESC')
      .addOrderBy('d.id', 'DESC')
      .limit(query.limit ?? 100)
      .getMany();
    const items: DeadLetterView[] = rows.map((row) => ({
      id: row.id,
      service: this.service,
      consumer: row.consumer,
      subject: row.subject,
      eventId: row.eventId,
      reason: row.reason as DeadLetterView['reason'],
      detail: row.detail,
      deliveries: row.deliveries,
      payload: row.payload,
      recordedAt: row.recordedAt.toISOString(),
    }));
    return { items };
  }
}
