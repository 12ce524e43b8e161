const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Everything on the page can come from the provider or the query string, so every value is escaped. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/** No script, nothing loaded, no forms; the one style block by nonce. Framing and caching: see http/security-headers.ts. */
export function callbackPageCsp(nonce: string): string {
  return `default-src 'none'; style-src 'nonce-${nonce}'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'`;
}

export function callbackPage(outcome: { ok: boolean; title: string; detail: string }, nonce: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="robots" content="noindex">
<title>${escapeHtml(outcome.title)} · Tessera</title>
<style nonce="${nonce}">body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem}h1{color:${outcome.ok ? '#1a7f37' : '#cf222e'}}</style>
</head><body><h1>${escapeHtml(outcome.title)}</h1><p>${escapeHtml(outcome.detail)}</p><p><a href="/console/">Back to the console</a> · or close this window.</p></body></html>
`;
}
