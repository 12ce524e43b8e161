import type { Clock, Metrics } from '@tessera/observability';
import type pg from 'pg';
import type { DataSource } from 'typeorm';

/** The pg pool under a data source with a pool of its own (not embedded mode's shared facade, which has no counts). */
export function poolOf(dataSource: DataSource): pg.Pool | undefined {
  const pool = (dataSource.driver as { master?: Partial<pg.Pool> }).master;
  return pool && typeof pool.totalCount === 'number' ? (pool as pg.Pool) : undefined;
}

/**
 * Connections of a pg pool in use and callers waiting for one, read at scrape time. `pool` names it: the service's
 * schema, or `embedded` for the one connection every service shares in embedded mode. Returns the remover.
 */
export function measurePool(metrics: Metrics, name: string, pool: pg.Pool): () => void {
  const removers = [
    metrics.sampledGauge({ name: 'tessera_db_pool_connections_in_use', help: 'Database connections checked out of the pool', labelNames: ['pool'] }, (sample) =>
      sample({ pool: name }, pool.totalCount - pool.idleCount),
    ),
    metrics.sampledGauge({ name: 'tessera_db_pool_connections_idle', help: 'Open database connections waiting in the pool', labelNames: ['pool'] }, (sample) =>
      sample({ pool: name }, pool.idleCount),
    ),
    metrics.sampledGauge(
      { name: 'tessera_db_pool_waiting_clients', help: 'Queries waiting for a free database connection (the pool is exhausted)', labelNames: ['pool'] },
      (sample) => sample({ pool: name }, pool.waitingCount),
    ),
  ];
  return () => removers.forEach((remove) => remove());
}

/**
 * The outbox's backlog (events written but not yet on the bus) and the age of its oldest one, by service, read at
 * scrape time with one indexed query. A growing age means the relay is stuck: the bus is down or refusing.
 */
export function measureOutbox(metrics: Metrics, service: string, dataSource: DataSource, clock: Clock): () => void {
  const table = `"${(dataSource.options as { schema?: string }).schema ?? 'public'}"."outbox_event"`;
  let reading: Promise<{ backlog: number; oldestMs: number | null }> | undefined;
  let readAt = 0;
  // Both gauges come from one query per scrape.
  const read = () => {
    if (!reading || performance.now() - readAt > 1_000) {
      readAt = performance.now();
      reading = dataSource
        .query(`SELECT count(*)::int AS "backlog", min("occurred_at") AS "oldest" FROM ${table} WHERE "published_at" IS NULL`)
        .then(([row]: { backlog: number; oldest: Date | null }[]) => ({ backlog: row.backlog, oldestMs: row.oldest ? new Date(row.oldest).getTime() : null }));
    }
    return reading;
  };
  const removers = [
    metrics.sampledGauge(
      { name: 'tessera_outbox_pending_events', help: "Events recorded in a service's outbox and not yet published to the bus", labelNames: ['service'] },
      async (sample) => {
        if (dataSource.isInitialized) sample({ service }, (await read()).backlog);
      },
    ),
    metrics.sampledGauge(
      { name: 'tessera_outbox_oldest_pending_age_seconds', help: 'Age of the oldest unpublished outbox event (0 when none)', labelNames: ['service'] },
      async (sample) => {
        if (!dataSource.isInitialized) return;
        const { oldestMs } = await read();
        sample({ service }, oldestMs === null ? 0 : Math.max(0, (clock.now().getTime() - oldestMs) / 1000));
      },
    ),
  ];
  return () => removers.forEach((remove) => remove());
}
