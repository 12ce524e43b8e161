/**
 * Rewrites the `scope` query parameter so the provider's scope separator is sent literally. Node's query encoding
 * turns `,` into `%2C` and `+` into `%2B`, which providers that split on those characters reject; each scope is still
 * percent-encoded on its own. A space separator is sent as `%20`, its standard encoding.
 */
export function withLiteralScopeSeparator(url: string, scopes: string[], separator: string): string {
  if (!scopes.length) return url;
  const sep =
    separator === ' '
      ? '%20'
      : separator
          .split('')
          .map((c) => (/[,+:;|]/.test(c) ? c : encodeURIComponent(c)))
          .join('');
  const encoded = scopes.map((s) => encodeURIComponent(s)).join(sep);
  const [base, query = ''] = url.split('?', 2);
  const parts = query.split('&').filter((p) => p && !p.startsWith('scope='));
  return `${base}?${[...parts, `scope=${encoded}`].join('&')}`;
}
