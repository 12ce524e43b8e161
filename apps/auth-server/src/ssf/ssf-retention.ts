import type { PruneRule } from '@tessera/persistence';

/** A SET no receiver took within this long is dropped: RFC 8935/8936 leave the limit to the transmitter. */
const SSF_SET_RETENTION_MS = 7 * 86_400_000;

export const ssfPruneRules = (): PruneRule[] => [
  {
    name: 'ssf_pending_set',
    table: '"auth"."ssf_pending_set"',
    key: '"jti"',
    where: '"created_at" < $1',
    params: (now) => [new Date(now.getTime() - SSF_SET_RETENTION_MS)],
  },
];
