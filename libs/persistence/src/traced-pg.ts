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

/** A pool whose connections trace their queries. */
class TracedPool extends pg.Pool {
  constructor(options: pg.PoolConfig = {}) {
    super({ ...options, Client: TracedClient });
  }
}

/** The `pg` module TypeORM should load: traced when this process exports traces, pg itself otherwise (no cost). */
export function pgDriver(): typeof pg {
  return tracingActive() ? { ...pg, Pool: TracedPool } : pg;
}
