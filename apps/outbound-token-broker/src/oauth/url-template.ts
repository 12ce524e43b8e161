import { BusError } from '@tessera/contracts';
import { hostVariables, staysWithin } from '@tessera/catalog';

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}/g;

/** The variable names a templated URL needs, in order of first appearance. */
export function templateVariables(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((m) => m[1]))];
}

/**
 * Fills `{{variable}}` placeholders (`https://oauth.myapp.com/token/{{account}}`) from a token's variables.
 * Values are URL-encoded so a variable can never add a path segment, query or host to the provider's URL.
 * A missing variable is a validation error naming it, not a request to a half-built URL.
 *
 * `hosts` names variables that may fill the host (values a token answer carried, such as Salesforce's instance_url)
 * and the domain each must keep the URL on: those are filled as they are, and the filled URL must stay on that
 * domain. Any other variable in the host part is encoded as ever, which keeps it from moving the request.
 */
export function fillTemplate(template: string, variables: Record<string, string>, field = 'url', hosts: Record<string, string> = {}): string {
  const missing = templateVariables(template).filter((name) => variables[name] === undefined || variables[name] === '');
  if (missing.length) {
    throw new BusError('validation_failed', `${field} needs the variable${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`, {
      [`variables.${missing[0]}`]: missing.map((name) => `${field} uses {{${name}}}, which this token does not define`),
    });
  }
  const raw = hostVariables(template).filter((name) => hosts[name]);
  const filled = template.replace(PLACEHOLDER, (_, name: string) => (raw.includes(name) ? variables[name] : encodeURIComponent(variables[name])));
  for (const name of raw) {
    if (!staysWithin(filled, hosts[name]))
      throw new BusError('validation_failed', `${field} filled with ${name} would leave ${hosts[name]}`, {
        [`variables.${name}`]: [`${name} fills the host of ${field} and must keep it an https URL on ${hosts[name]}`],
      });
  }
  return filled;
}
