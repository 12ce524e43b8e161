import { templateVariables } from '../oauth/url-template.js';
import type { Provider } from './provider.entity.js';

const VARIABLE_NAME = /^[A-Za-z0-9_.-]{1,100}$/;
const ANSWER_PATH = /^[A-Za-z0-9_$-]+(\.[A-Za-z0-9_$-]+)*$/;
/** A domain of two labels or more: a host variable kept on a bare top-level domain ("com") is not kept anywhere. */
const DOMAIN = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;

/**
 * What is wrong with a provider's token-answer variables, by field: names and answer paths that could not work, host
 * domains for variables that do not exist or that keep nothing, and such variables in the URLs requested before any
 * answer came (the authorization and token URLs).
 */
export function tokenResponseProblems(
  provider: Pick<Provider, 'tokenResponseVariables' | 'tokenResponseHosts' | 'authorizationUrl' | 'tokenUrl'>,
): Record<string, string[]> {
  const problems: Record<string, string[]> = {};
  const add = (field: string, message: string) => (problems[field] ??= []).push(message);
  const variables = provider.tokenResponseVariables ?? {};
  for (const [name, path] of Object.entries(variables)) {
    if (!VARIABLE_NAME.test(name)) add('tokenResponseVariables', `${name} is not a variable name (letters, digits, _ . -)`);
    if (!ANSWER_PATH.test(path)) add('tokenResponseVariables', `${name}: ${path} is not a property name or dotted path of the answer`);
  }
  for (const [name, domain] of Object.entries(provider.tokenResponseHosts ?? {})) {
    if (!(name in variables)) add('tokenResponseHosts', `${name} is not one of tokenResponseVariables`);
    if (!DOMAIN.test(domain)) add('tokenResponseHosts', `${name}: ${domain} is not a domain of two labels or more, in lowercase`);
  }
  for (const field of ['authorizationUrl', 'tokenUrl'] as const) {
    const used = templateVariables(provider[field] ?? '').filter((name) => name in variables);
    if (used.length) add(field, `${field} is requested before any token answer, so it cannot use ${used.join(', ')}`);
  }
  return problems;
}
