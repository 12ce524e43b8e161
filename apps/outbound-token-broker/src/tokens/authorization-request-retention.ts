import type { RetentionConfig } from '@tessera/config';
import type { PruneRule } from '@tessera/persistence';

/**
 * An authorization request is good for one callback before it expires; once expired, used or not, a callback bearing
 * its state is refused either way ("unknown state"), so the row only serves inspection for the retention period.
 */
export function brokerPruneRules(retention: RetentionConfig): PruneRule[] {
  return [
    {
      name: 'authorization_request',
      table: '"broker"."authorization_request"',
      key: '"state"',
      where: '"expires_at" < $1',
      params: (now) => [new Date(now.getTime() - retention.grantsMs)],
    },
  ];
}
