import type { AuthorizationPrompt } from '@tessera/contracts';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (c) => ESCAPES[c]);

const STYLE = `
  body{font:15px/1.5 system-ui,sans-serif;background:#f4f5f7;color:#1d2433;margin:0;display:flex;min-height:100vh;align-items:center;justify-content:center}
  main{background:#fff;border-radius:12px;box-shadow:0 2px 16px #0001;padding:32px 36px;max-width:420px;width:100%}
  h1{font-size:20px;margin:0 0 4px} p.sub{color:#5b6475;margin:0 0 20px}
  label{display:block;font-weight:600;margin:12px 0 4px} input[type=text],input[type=password]{width:100%;box-sizing:border-box;padding:9px 10px;border:1px solid #c5cad3;border-radius:6px;font:inherit}
  button{font:inherit;padding:9px 18px;border-radius:6px;border:1px solid #2f5bd3;background:#2f5bd3;color:#fff;cursor:pointer;margin-top:18px}
  button.secondary{background:#fff;color:#2f5bd3} ul{padding-left:20px} code{background:#eef0f4;padding:1px 5px;border-radius:4px}
  .error{background:#fdecec;color:#8a1c1c;border-radius:6px;padding:8px 12px;margin:12px 0}`;

/** A page with a strict CSP: no script at all, styles only from this response's nonce. */
export function page(title: string, body: string, nonce: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)} · Tessera</title><style nonce="${nonce}">${STYLE}</style></head><body><main>${body}</main></body></html>`;
}

/**
 * `formTargets`: origins a form on the page may end up at. Browsers apply form-action to the redirect that follows a
 * form post, so the consent page must allow the client's registered redirect URI (checked by auth-server) too.
 */
export function contentSecurityPolicy(nonce: string, formTargets: string[] = []): string {
  return `default-src 'none'; style-src 'nonce-${nonce}'; form-action 'self'${formTargets.map((t) => ` ${t}`).join('')}; frame-ancestors 'none'; base-uri 'none'`;
}

function hidden(request: string, csrf: string): string {
  return `<input type="hidden" name="request" value="${escapeHtml(request)}"><input type="hidden" name="csrf" value="${escapeHtml(csrf)}">`;
}

/** A signed-in subject as a person reads it: `admin:alice` is the administrator alice. */
function plainSubject(subject: string): string {
  return subject.startsWith('admin:') ? subject.slice('admin:'.length) : subject;
}

/** `username`: what was typed before a refused attempt, kept so only the password is typed again. */
export function loginPage(prompt: AuthorizationPrompt, request: string, csrf: string, error?: string, username = ''): string {
  return `<h1>Sign in to Tessera</h1><p class="sub"><strong>${escapeHtml(prompt.clientName)}</strong> asks for access. Sign in as an administrator to review it.</p>
${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/oauth/authorize">${hidden(request, csrf)}<input type="hidden" name="action" value="login">
<label for="username">Username</label><input id="username" name="username" type="text" autocomplete="username" value="${escapeHtml(username)}" required${username ? '' : ' autofocus'}>
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required${username ? ' autofocus' : ''}>
<button type="submit">Sign in</button></form>`;
}

export function consentPage(prompt: AuthorizationPrompt, request: string, csrf: string, subject: string): string {
  const scopes = prompt.scope.map((s) => `<li><code>${escapeHtml(s)}</code></li>`).join('');
  return `<h1>Authorize ${escapeHtml(prompt.clientName)}</h1><p class="sub">Signed in as <strong>${escapeHtml(plainSubject(subject))}</strong></p>
<p><strong>${escapeHtml(prompt.clientName)}</strong> will get tokens with these permissions:</p><ul>${scopes}</ul>
<p>You will be sent back to <code>${escapeHtml(new URL(prompt.redirectUri).origin)}</code>.</p>
<form method="post" action="/oauth/authorize">${hidden(request, csrf)}
<button type="submit" name="action" value="approve">Approve</button> <button type="submit" name="action" value="deny" class="secondary">Deny</button></form>`;
}

export function errorPage(message: string): string {
  return `<h1>This request cannot be completed</h1><p class="error" role="alert">${escapeHtml(message)}</p><p>Return to the application that sent you here and try again.</p>`;
}
