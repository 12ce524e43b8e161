const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}/g;

/** The variable names a templated URL uses, in order of first appearance. */
export function placeholders(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((m) => m[1]))];
}

/**
 * The part of a templated URL that decides where a request goes: everything before the first `/`, `?` or `#` after
 * `https://`, or — for a URL that starts with a variable holding a whole origin — that variable itself.
 */
function authorityOf(template: string): string {
  const rest = template.startsWith('https://') ? template.slice('https://'.length) : template;
  const end = rest.search(/[/?#]/);
  return end === -1 ? rest : rest.slice(0, end);
}

/** Variables that decide the host of a templated URL (those in its authority). */
export function hostVariables(template: string): string[] {
  return placeholders(authorityOf(template));
}

/**
 * Fills placeholders the way the worst-behaved engine might: raw, with no encoding, so that a value's `/`, `@` or `#`
 * takes effect. A pattern has to be safe against that, not only against the encoding Tessera applies today.
 */
export function fillRaw(template: string, values: Record<string, string>): string {
  return template.replace(PLACEHOLDER, (whole, name: string) => values[name] ?? whole);
}

/** Whether `hostname` is `parent` or a name under it (case-insensitive, a trailing dot ignored). */
export function isWithin(hostname: string, parent: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  const base = parent.toLowerCase();
  return host === base || host.endsWith(`.${base}`);
}

/**
 * The engine's last line of defence for a filled URL whose host came from a variable: an https URL, with no
 * credentials in it, on the parent domain and its default port. Static checks of the patterns make this never fail
 * for catalog templates; it is here for custom templates and for values that reach the engine some other way.
 */
export function staysWithin(url: string, parent: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return parsed.protocol === 'https:' && !parsed.username && !parsed.password && parsed.port === '' && isWithin(parsed.hostname, parent);
}
