import { plainToInstance } from 'class-transformer';
import { validate, type ValidationError } from 'class-validator';
import { BusError } from './errors.js';
import { plainMessage } from './plain-messages.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Constructor<T> = new (...args: any[]) => T;

/** Field → messages (one plain message each, see plainMessage), with nested fields dotted (`auth.clientAppId`). */
export function fieldMessages(errors: ValidationError[], parent = ''): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const error of errors) {
    const path = parent ? `${parent}.${error.property}` : error.property;
    const message = plainMessage(error);
    if (message) out[path] = [message];
    if (error.children?.length) Object.assign(out, fieldMessages(error.children, path));
  }
  return out;
}

/**
 * Validates a message where it is received. Unknown properties are rejected rather than ignored, so a typo in a
 * field name is an error the sender sees, not a silently dropped value.
 */
export async function validateMessage<T extends object>(type: Constructor<T>, payload: unknown): Promise<T> {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
    throw new BusError('validation_failed', 'The message body must be a JSON object', { body: ['must be a JSON object'] });
  }
  const instance = plainToInstance(type, payload) as T;
  const errors = await validate(instance, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true });
  if (errors.length) {
    throw new BusError('validation_failed', 'The request has invalid fields', fieldMessages(errors));
  }
  // Postgres text cannot hold U+0000: such a value would fail deep in a query as a 500, so it is refused here as a 400.
  const withNul = fieldsWithNul(instance);
  if (withNul.length) {
    throw new BusError('validation_failed', 'The request has invalid fields', Object.fromEntries(withNul.map((field) => [field, [`${field} must not contain NUL characters`]])));
  }
  return instance;
}

function fieldsWithNul(value: unknown, path = ''): string[] {
  if (typeof value === 'string') return value.includes('\u0000') ? [path || 'body'] : [];
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, child]) => fieldsWithNul(child, Array.isArray(value) ? `${path}[${key}]` : path ? `${path}.${key}` : key));
}
