import type { ValidationError } from 'class-validator';
import { plainMessage } from './plain-messages.js';

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
