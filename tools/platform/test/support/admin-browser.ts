/**
 * The other platform's administrator at a browser, for the P2PI flows: cookies kept, forms read off the page,
 * redirects followed by hand.
 */
export class AdminBrowser {
  private readonly jar = new Map<string, string>();
  async get(url: string, init: RequestInit = {}) {
    const response = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: { ...(init.headers as Record<string, string>), cookie: [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ') },
    });
    this.keep(response.headers);
    return response;
  }
  /** Cookies a response the console's own fetch received set (e.g. the one binding an authorization's state). */
  keep(headers: Headers) {
    for (const header of headers.getSetCookie()) {
      const [pair] = header.split(';');
      this.jar.set(pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1));
    }
  }
  async submit(base: string, page: string, fields: Record<string, string>) {
    const hidden = Object.fromEntries(
      [...page.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1], m[2].replace(/&quot;/g, '"').replace(/&amp;/g, '&')]),
    );
    return this.get(`${base}/oauth/authorize`, {
      method: 'POST',
      body: new URLSearchParams({ ...hidden, ...fields }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
  }
}
