import type { ValidationError } from 'class-validator';

/** Field → messages, with nested fields dotted (`auth.clientAppId`). */
export function fieldMessages(errors: ValidationError[], parent = ''): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const error of errors) {
    const path = parent ? `${parent}.${error.property}` : error.property;
    if (error.constraints) out[path] = Object.values(error.constraints);
    if (error.children?.length) Object.assign(out, fieldMessages(error.children, path));
  }
  return out;
}
