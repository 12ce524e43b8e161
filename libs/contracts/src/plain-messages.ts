import type { ValidationError } from 'class-validator';

/**
 * One plain message for a field that failed validation, instead of every constraint's raw text ("name must be
 * shorter than or equal to 200 characters", "…longer than or equal to 1 characters", "…must be a string"): the
 * constraint that says most about the value sent, in words, without the field's name (the key already names it).
 * Messages a decorator wrote itself (patterns, custom validators) are kept, minus a leading field name.
 */
export function plainMessage(error: ValidationError): string | undefined {
  const constraints = error.constraints ?? {};
  const keys = Object.keys(constraints);
  if (!keys.length) return undefined;
  const value: unknown = error.value;
  const has = (key: string) => key in constraints;
  const own = (key: string) => stripField(constraints[key], error.property);
  const bound = (key: string) => (error.contexts?.[key] as { bound?: number } | undefined)?.bound ?? numberIn(constraints[key]);
  if (has('whitelistValidation')) return 'is not a field this request takes';
  if (value === undefined || value === null) return 'is required';
  // The type first: a length or range says nothing about a value of the wrong kind.
  if (has('isInt') || has('isNumber')) {
    if (typeof value !== 'number' || Number.isNaN(value)) return 'must be a number';
    if (has('isInt') && !Number.isInteger(value)) return 'must be a whole number';
  }
  if (has('isString') && typeof value !== 'string') return 'must be text';
  if (has('isBoolean') && typeof value !== 'boolean') return 'must be true or false';
  if (has('isArray') && !Array.isArray(value)) return 'must be a list';
  if ((has('isObject') || has('nestedValidation')) && (typeof value !== 'object' || Array.isArray(value))) return 'must be an object';
  if (has('minLength') && typeof value === 'string' && value.length === 0) return 'must not be empty';
  if (has('isNotEmpty')) return 'must not be empty';
  const each = Array.isArray(value) ? 'each item ' : '';
  if (has('minLength')) return `${each}must be at least ${numberIn(constraints.minLength)} characters`;
  if (has('maxLength')) return `${each}must be at most ${numberIn(constraints.maxLength)} characters`;
  if (has('min')) return `must be at least ${bound('min')}`;
  if (has('max')) return `must be at most ${bound('max')}`;
  if (has('arrayMinSize')) return `must hold at least ${numberIn(constraints.arrayMinSize)} items`;
  if (has('arrayMaxSize')) return `must hold at most ${numberIn(constraints.arrayMaxSize)} items`;
  if (has('isUuid') || has('isUUID')) return 'must be a UUID';
  // Patterns, lists of allowed values, custom validators: their own words.
  return own(keys[0]);
}

function numberIn(message: string | undefined): number | string {
  const match = /(-?\d+(?:\.\d+)?)/.exec(message ?? '');
  return match ? Number(match[1]) : '?';
}

function stripField(message: string, property: string): string {
  return message.startsWith(`${property} `) ? message.slice(property.length + 1) : message;
}
