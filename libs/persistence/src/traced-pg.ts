import { endSpanWithError, recordingSpan, SpanKind, startSpan, tracingActive } from '@tessera/observability';
import pg from 'pg';

const MAX_QUERY_TEXT = 2_000;
type Query = (...args: unknown[]) => unknown;
const untracedQuery = pg.Client.prototype.query as Query;

/**
 * pg's Client with a span per query, made only inside a recorded trace (a request's or an event's): the relay's and
 * the pruner's polling would otherwise be a trace a second. The SQL text goes in the span, never the parameters.
 */
class TracedClient extends pg.Client {}

(TracedClient.prototype as unknown as { query: Query }).query = function tracedQuery(this: pg.Client, ...args: unknown[]): unknown {
  const first = args[0] as string | { text?: string; submit?: unknown } | undefined;
  // A Submittable (a cursor or stream) reports on its own schedule; left as it is.
  if (!recordingSpan() || (typeof first === 'object' && typeof first?.submit === 'function')) return untracedQuery.apply(this, args);
  const text = typeof first === 'string' ? first : (first?.text ?? '');
  const operation = /^\s*(\w+)/.exec(text)?.[1]?.toUpperCase() ?? 'QUERY';
  const span = startSpan(operation, SpanKind.CLIENT, {
    'db.system.name': 'postgresql',
    'db.namespace': this.database ?? '',
    'db.operation.name': operation,
    'db.query.text': text.slice(0, MAX_QUERY_TEXT),
    'server.address': this.host,
    'server.port': this.port,
  });
  const fail = (error: unknown) => {
    const code = (error as { code?: unknown })?.code;
    if (typeof code === 'string') span.setAttribute('db.response.status_code', code);
    endSpanWithError(span, error);
  };
  const callback = args[args.length - 1];
  if (typeof callback === 'function') {
    args[args.length - 1] = (error: unknown, result: unknown) => {
      if (error) fail(error);
      else span.end();
      return (callback as (e: unknown, r: unknown) => unknown)(error, result);
    };
    return untracedQuery.apply(this, args);
  }
  const result = untracedQuery.apply(this, args) as Promise<unknown>;
  result.then(() => span.end(), fail);
  return result;
};

/**
 * A client whose named statements go out unnamed. Behind a pooler in transaction mode (PgBouncer before 1.21, or
 * without `max_prepared_statements`), consecutive statements of one client reach different server sessions, and a
 * statement prepared in one is unknown in the next (ADR 0039). The query is the same, only parsed each time.
 */
function unnamed(Base: typeof pg.Client): typeof pg.Client {
  class UnnamedClient extends Base {}
  const query = Base.prototype.query as Query;
  (UnnamedClient.prototype as unknown as { query: Query }).query = function unnamedQuery(this: pg.Client, ...args: unknown[]): unknown {
    const first = args[0] as { name?: unknown; submit?: unknown } | undefined;
    if (first && typeof first === 'object' && typeof first.submit !== 'function' && first.name !== undefined) {
      const { name: _name, ...rest } = first;
      args[0] = rest;
    }
    return query.apply(this, args);
  };
  return UnnamedClient;
}

export interface PgDriverOptions {
  /** Behind a transaction-mode pooler: no named prepared statements. */
  transactionPooler?: boolean;
}

/**
 * The `pg` module TypeORM should load: traced when this process exports traces, pg itself otherwise (no cost);
 * without named statements behind a transaction-mode pooler.
 */
export function pgDriver(options: PgDriverOptions = {}): typeof pg {
  const traced = tracingActive();
  if (!traced && !options.transactionPooler) return pg;
  const Client = options.transactionPooler ? unnamed(traced ? TracedClient : pg.Client) : TracedClient;
  class Pool extends pg.Pool {
    constructor(config: pg.PoolConfig = {}) {
      super({ ...config, Client });
    }
  }
  return { ...pg, Pool };
}
