import { ArrayMaxSize, IsArray, IsString, MaxLength, registerDecorator, type ValidationOptions } from 'class-validator';

/** Provider and token names appear in URLs (/tokens/:name, /proxy/:name), so they are plain lowercase words. */
export const BROKER_NAME_PATTERN = /^[a-z0-9](?:[a-z0-9._-]{0,98}[a-z0-9])?$/;
export const BROKER_NAME_MESSAGE = 'must be 1-100 lowercase letters, digits, dots, underscores or hyphens, starting and ending with a letter or digit';

/** A URL that may hold `{{variable}}` placeholders, filled from a token's variables when it is used. */
export const TEMPLATED_URL_PATTERN = /^https?:\/\/[^\s]+$/;
/** A token's base URL: as above, or starting with a variable that holds a whole origin (Salesforce's {{instanceUrl}}). */
export const BASE_URL_PATTERN = /^(?:https?:\/\/|\{\{\s*[A-Za-z0-9_.-]+\s*\}\})[^\s]*$/;

/** Validates a flat object whose values are all strings (extra OAuth parameters, token variables). */
export function IsStringRecord(options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isStringRecord',
      target: object.constructor,
      propertyName,
      options: { message: `${propertyName} must be an object whose values are strings`, ...options },
      validator: {
        validate: (value: unknown) =>
          value !== null &&
          typeof value === 'object' &&
          !Array.isArray(value) &&
          Object.entries(value as object).every(([k, v]) => k.length > 0 && k.length <= 200 && typeof v === 'string' && v.length <= 4096),
      },
    });
}

/** A list of OAuth scopes as the broker stores them: at most 100, each a string of at most 200 characters. */
export function IsScopeList() {
  return (object: object, propertyName: string) => {
    for (const decorate of [IsArray(), ArrayMaxSize(100), IsString({ each: true }), MaxLength(200, { each: true })]) decorate(object, propertyName);
  };
}
