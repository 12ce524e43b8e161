import type { LoggerService } from '@nestjs/common';
import { pino, type Logger } from 'pino';
import { currentRequestId } from './request-context.js';
import { traceLogFields, tracingActive } from './tracing.js';

export type { Logger } from 'pino';

/** Keys whose values never reach a log line, wherever they appear in a logged object. */
const REDACTED_PATHS = [
  'password',
  '*.password',
  'secret',
  '*.secret',
  'clientSecret',
  '*.clientSecret',
  'appSecret',
  '*.appSecret',
  'access_token',
  '*.access_token',
  'refresh_token',
  '*.refresh_token',
  'client_secret',
  '*.client_secret',
  'authorization',
  '*.authorization',
  'req.headers.authorization',
  'req.headers.cookie',
];

export function createLogger(options: { level: string; service?: string; destination?: pino.DestinationStream }): Logger {
  return pino(
    {
      level: options.level,
      base: options.service ? { service: options.service } : {},
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      mixin: () => {
        const requestId = currentRequestId();
        // With tracing on, a line written inside a span names it, so logs and traces point at each other.
        const ids = tracingActive() ? traceLogFields() : undefined;
        return requestId ? { requestId, ...ids } : { ...ids };
      },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination,
  );
}

/**
 * Nest's start-up narration — one line per module, controller and route (60-odd at every start) — says nothing an
 * operator acts on: at debug, so `LOG_LEVEL=debug` still shows what was mapped.
 */
const BOOTSTRAP_SCOPES = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestFactory', 'NestApplication', 'NestMicroservice']);

/** Adapts pino to Nest's LoggerService so framework messages are structured JSON as well. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, ...context: unknown[]) {
    const scope = context[context.length - 1];
    this.write(typeof scope === 'string' && BOOTSTRAP_SCOPES.has(scope) ? 'debug' : 'info', message, context);
  }
  error(message: unknown, ...context: unknown[]) {
    this.write('error', message, context);
  }
  warn(message: unknown, ...context: unknown[]) {
    this.write('warn', message, context);
  }
  debug(message: unknown, ...context: unknown[]) {
    this.write('debug', message, context);
  }
  verbose(message: unknown, ...context: unknown[]) {
    this.write('trace', message, context);
  }
  fatal(message: unknown, ...context: unknown[]) {
    this.write('fatal', message, context);
  }

  private write(level: pino.Level, message: unknown, context: unknown[]) {
    const scope = typeof context[context.length - 1] === 'string' ? (context[context.length - 1] as string) : undefined;
    const stack = context.find((c) => typeof c === 'string' && c.includes('\n    at '));
    if (message instanceof Error) this.logger[level]({ err: message, scope }, message.message);
    else if (typeof message === 'object') this.logger[level]({ ...(message as object), scope });
    else this.logger[level]({ scope, ...(stack ? { stack } : {}) }, String(message));
  }
}
