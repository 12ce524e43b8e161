import { BusError } from '@tessera/contracts';

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}/g;

/** The variable names a templated URL needs, in order of first appearance. */
export function templateVariables(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((m) => m[1]))];
}

/**
 * Fills `{{variable}}` placeholders (`https://oauth.myapp.com/token/{{account}}`) from a token's variables.
 * Values are URL-encoded so a variable can never add a path segment, query or host to the provider's URL.
 * A missing variable is a validation error naming it, not a request to a half-built URL.
 */
export function fillTemplate(template: string, variables: Record<string, string>, field = 'url'): string {
  const missing = templateVariables(template).filter((name) => variables[name] === undefined || variables[name] === '');
  if (missing.length) {
    throw new BusError('validation_failed', `${field} needs the variable${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`, {
      [`variables.${missing[0]}`]: missing.map((name) => `${field} uses {{${name}}}, which this token does not define`),
    });
  }
  return template.replace(PLACEHOLDER, (_, name: string) => encodeURIComponent(variables[name]));
}
