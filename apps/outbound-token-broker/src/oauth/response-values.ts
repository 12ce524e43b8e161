import { isWithin, staysWithin } from '@tessera/catalog';
import { readPath, TokenResponseError } from './token-answer.js';

/** Where a provider's token answers carry values its token's URLs use, and the domain each host-filling one stays on. */
export interface ResponseValueMapping {
  /** Variable name → dotted path in the answer (Salesforce: instanceUrl → instance_url). */
  variables: Record<string, string>;
  /** Variable name → the domain its value must stay on, for those that fill a host. */
  hosts: Record<string, string>;
}

const MAX_VALUE_LENGTH = 2048;
/** Visible ASCII only: a value is put into URLs, and whitespace or control characters there change what they mean. */
const URL_SAFE = /^[\x21-\x7e]+$/;
const HOST_NAME = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;

/** An https origin (nothing after the host but an optional `/`) or a bare host name, on `parent`. */
function isHostOn(value: string, parent: string): boolean {
  if (value.startsWith('https://')) {
    if (!staysWithin(value, parent)) return false;
    const url = new URL(value);
    return url.pathname === '/' && !url.search && !url.hash && !value.endsWith('?') && !value.endsWith('#');
  }
  return HOST_NAME.test(value) && isWithin(value, parent);
}

/**
 * The values a token answer carries for the token's URLs, as text. An absent one is left out (the caller keeps the
 * value it had: refresh answers often repeat less than the first). A value that could not sit in a URL, or a host
 * value off its domain, refuses the answer: the provider's own answer must not send the token's API calls elsewhere.
 */
export function readResponseValues(body: unknown, mapping: ResponseValueMapping): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [name, path] of Object.entries(mapping.variables)) {
    const raw = readPath(body, path);
    if (raw === undefined || raw === null || raw === '') continue;
    const value = typeof raw === 'number' && Number.isFinite(raw) ? String(raw) : raw;
    if (typeof value !== 'string' || value.length > MAX_VALUE_LENGTH || !URL_SAFE.test(value))
      throw new TokenResponseError(`the token response's "${path}" (variable ${name}) is not a single word that can sit in a URL`);
    const parent = mapping.hosts[name];
    if (parent && !isHostOn(value.replace(/\/$/, '') || value, parent))
      throw new TokenResponseError(`the token response's "${path}" (variable ${name}) is not an https origin or host on ${parent}; the answer was refused`);
    values[name] = parent ? value.replace(/\/$/, '') : value;
  }
  return values;
}
