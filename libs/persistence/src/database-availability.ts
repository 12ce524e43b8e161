import type { Logger } from '@tessera/observability';

/** Socket-level failures: the server is not there, or the connection to it broke. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNABORTED']);

/**
 * SQLSTATEs that mean "the server cannot serve you now", not "your statement is wrong": class 08 (connection
 * exception), admin/crash shutdown, starting up or shutting down, too many connections.
 */
const OUTAGE_SQLSTATES = /^(08...|57P01|57P02|57P03|53300)$/;

/** What pg and pg-pool say, without a code, when a connection dies under them or the pool cannot hand one out. */
const OUTAGE_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|connection error and is not queryable|Client was closed and is not queryable|the database system is (starting up|shutting down|in recovery mode|not yet accepting connections)|terminating connection due to administrator command/i;

/**
 * TypeORM's errors for a connection that is gone: a released query runner (used by a query, or by an entity manager
 * bound to it) and a data source that is not connected (while it is destroyed at shutdown or re-initialised).
 */
const RELEASED_RUNNER_ERRORS = new Set(['QueryRunnerAlreadyReleasedError', 'QueryRunnerProviderAlreadyReleasedError', 'CannotExecuteNotConnectedError']);

/**
 * True when `error` (or what it wraps: TypeORM's `driverError`, a `cause`, an AggregateError's errors) says the
 * database is unreachable or going away, as opposed to a query being wrong. The one place that tells the two apart,
 * so every caller (bus handlers, the outbox relay, consumers, schedulers) classifies a restart the same way.
 */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 4) return false;
  const candidate = error as { name?: unknown; code?: unknown; message?: unknown; driverError?: unknown; cause?: unknown; errors?: unknown };
  // TypeORM releases a query runner whose connection died; whatever touches it next (the ROLLBACK, a nested
  // transaction on its entity manager) throws one of these instead of the connection error they mask.
  if (typeof candidate.name === 'string' && RELEASED_RUNNER_ERRORS.has(candidate.name)) return true;
  if (typeof candidate.code === 'string' && (NETWORK_CODES.has(candidate.code) || OUTAGE_SQLSTATES.test(candidate.code))) return true;
  if (typeof candidate.message === 'string' && OUTAGE_MESSAGES.test(candidate.message)) return true;
  if (isDatabaseUnavailable(candidate.driverError, depth + 1) || isDatabaseUnavailable(candidate.cause, depth + 1)) return true;
  return Array.isArray(candidate.errors) && candidate.errors.some((e) => isDatabaseUnavailable(e, depth + 1));
}

export interface DatabaseAvailabilityOptions {
  /** True when the database answers (bounded in time); while it is down this runs every `probeIntervalMs`. */
  probe: () => Promise<boolean>;
  logger: Logger;
  probeIntervalMs?: number;
}

/**
 * One service's view of whether its database is reachable. Failures that are an outage are noted here instead of
 * being logged where they happen: the first one logs "unavailable" once, a probe then watches for the database to
 * return and logs "available again" once, so a restart costs two log lines however many requests met it.
 */
export class DatabaseAvailability {
  private down = false;
  private downSince = 0;
  private probeTimer?: NodeJS.Timeout;
  private stopped = false;

  constructor(private readonly options: DatabaseAvailabilityOptions) {}

  get isDown(): boolean {
    return this.down;
  }

  /** Returns true (and notes the outage) when `error` is the database being unavailable; false for anything else. */
  noteFailure(error: unknown): boolean {
    if (!isDatabaseUnavailable(error)) return false;
    if (!this.down && !this.stopped) {
      this.down = true;
      this.downSince = Date.now();
      const cause = error as { code?: string; message?: string; driverError?: { code?: string; message?: string } };
      this.options.logger.warn(
        { cause: cause.driverError?.code ?? cause.code ?? cause.driverError?.message ?? cause.message },
        'database unavailable; answering 503 until it is back',
      );
      this.scheduleProbe();
    }
    return true;
  }

  private scheduleProbe(): void {
    if (this.stopped) return;
    this.probeTimer = setTimeout(() => void this.probeOnce(), this.options.probeIntervalMs ?? 250);
    this.probeTimer.unref();
  }

  private async probeOnce(): Promise<void> {
    const up = await this.options.probe().catch(() => false);
    if (!up) return this.scheduleProbe();
    if (!this.down) return;
    this.down = false;
    this.options.logger.info({ downForMs: Date.now() - this.downSince }, 'database available again');
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.probeTimer);
  }
}
