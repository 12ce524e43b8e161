import { describe, expect, it } from 'vitest';
import { callbackPage, escapeHtml } from './callback-page.js';

describe('callbackPage', () => {
  it('escapes whatever the provider or the query string put in the message', () => {
    expect(escapeHtml(`<script>alert("x")</script>&'`)).toBe('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;');
    const page = callbackPage({ ok: false, title: 'Authorization failed', detail: 'access_denied: <img src=x onerror=alert(1)>' }, 'n0nce');
    expect(page).not.toContain('<img');
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });
});
