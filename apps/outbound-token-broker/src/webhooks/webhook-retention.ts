import type { PruneRule } from '@tessera/persistence';

/**
 * The delivery log's end (docs/decisions/0048): a delivered message is kept `retentionMs` from its delivery, a failed
 * one from its event (until then it can be recovered). Its attempts go with it (ON DELETE CASCADE). A pending message
 * is never pruned, however old: it is still to be delivered.
 */
export function webhookPruneRules(retentionMs: number): PruneRule[] {
  return [
    {
      name: 'webhook_message_delivered',
      table: '"broker"."webhook_message"',
      key: '"id"',
      where: `"state" = 'delivered' AND "delivered_at" < $1`,
      params: (now) => [new Date(now.getTime() - retentionMs)],
    },
    {
      name: 'webhook_message_failed',
      table: '"broker"."webhook_message"',
      key: '"id"',
      where: `"state" = 'failed' AND "created_at" < $1`,
      params: (now) => [new Date(now.getTime() - retentionMs)],
    },
  ];
}
