import { Injectable } from '@nestjs/common';
import { SSF_PUSH, type ListSsfStreamsQuery, type SsfStreamAdminPage, type SsfStreamAdminView } from '@tessera/contracts';
import { eventsDelivered } from './ssf-streams.service.js';
import { SsfStore, type SsfStreamSummary } from './ssf.store.js';

const DEFAULT_LIMIT = 200;

/** Every receiver's streams for administrators, read-only: what they asked for and how their deliveries fare. */
@Injectable()
export class SsfAdminService {
  constructor(private readonly store: SsfStore) {}

  async list(query: ListSsfStreamsQuery): Promise<SsfStreamAdminPage> {
    const summaries = await this.store.summaries(query.receiver, query.limit ?? DEFAULT_LIMIT);
    return { items: summaries.map(adminView) };
  }
}

/** The push Authorization header (sealed) stays out: it is the receiver's secret. */
function adminView({ stream, subjects, pending, oldestPendingAt, lastPushError }: SsfStreamSummary): SsfStreamAdminView {
  const push = stream.deliveryMethod === SSF_PUSH;
  return {
    streamId: stream.id,
    receiver: stream.receiver,
    deliveryMethod: push ? 'push' : 'poll',
    endpointUrl: push ? stream.endpointUrl : null,
    status: stream.status,
    statusReason: stream.statusReason,
    description: stream.description,
    eventsRequested: stream.eventsRequested,
    eventsDelivered: eventsDelivered(stream),
    subjects,
    pendingSets: pending,
    oldestPendingAt: oldestPendingAt?.toISOString() ?? null,
    lastPushError: push ? lastPushError : null,
    createdAt: stream.createdAt.toISOString(),
  };
}
