import { createLogger } from '@tessera/observability';
import { CannotExecuteNotConnectedError, QueryFailedError, QueryRunnerAlreadyReleasedError, QueryRunnerProviderAlreadyReleasedError } from 'typeorm';
import { describe, expect, it } from 'vitest';
import { DatabaseAvailability, isDatabaseUnavailable } from './database-availability.js';

const pgError = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('isDatabaseUnavailable', () => {
  it.each([
    ['connection refused', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    ['connection reset', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })],
    ['admin shutdown (pg_ctl stop -m fast)', pgError('57P01', 'terminating connection due to administrator command')],
    ['crash shutdown', pgError('57P02')],
    ['starting up', pgError('57P03', 'the database system is starting up')],
    ['too many connections', pgError('53300')],
    ['a connection exception (class 08)', pgError('08006')],
    ['a connection that died mid-query', new Error('Connection terminated unexpectedly')],
    ['the pool timing out', new Error('timeout exceeded when trying to connect')],
    ['a broken client reused', new Error('Client has encountered a connection error and is not queryable')],
    ['a closed client reused', new Error('Client was closed and is not queryable')],
    ['a transaction whose connection died (TypeORM masks it)', new QueryRunnerAlreadyReleasedError()],
    ['a transaction started on the entity manager of a runner released under it', new QueryRunnerProviderAlreadyReleasedError()],
    ['a data source not connected (shutting down)', new CannotExecuteNotConnectedError()],
    ['wrapped by TypeORM', new QueryFailedError('SELECT 1', [], pgError('57P01'))],
    ['a cause', new Error('outer', { cause: Object.assign(new Error('inner'), { code: 'ECONNREFUSED' }) })],
    ['dual-stack refusals', new AggregateError([Object.assign(new Error('a'), { code: 'ECONNREFUSED' })], 'connect failed')],
  ])('recognises %s', (_name, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    ['a syntax error', pgError('42601')],
    ['a unique violation', pgError('23505')],
    ['bad input', new QueryFailedError('SELECT', [], pgError('22P02', 'invalid input syntax for type uuid'))],
    ['a serialization failure', pgError('40001')],
    ['a plain bug', new TypeError('cannot read properties of undefined')],
    ['nothing', undefined],
  ])('does not take %s for an outage', (_name, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });
});

describe('DatabaseAvailability', () => {
  it('logs one line when the database goes and one when it is back, however many failures come between', async () => {
    const lines: { msg: string }[] = [];
    const logger = createLogger({ level: 'info', destination: { write: (line: string) => void lines.push(JSON.parse(line) as { msg: string }) } });
    let up = false;
    const availability = new DatabaseAvailability({ logger, probe: async () => up, probeIntervalMs: 5 });
    for (let i = 0; i < 50; i++) expect(availability.noteFailure(pgError('57P01'))).toBe(true);
    expect(availability.noteFailure(pgError('23505'))).toBe(false);
    expect(availability.isDown).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 30));
    up = true;
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(availability.isDown).toBe(false);
    expect(lines.map((l) => l.msg)).toEqual(['database unavailable; answering 503 until it is back', 'database available again']);
    availability.stop();
  });
});
