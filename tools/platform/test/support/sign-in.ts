/** The bootstrap administrator's password on every platform a test starts (TESSERA_ADMIN_PASSWORD). */
export const ADMIN_PASSWORD = 'test-admin-password-0123';

/** POST /admin/login, the answer as it comes: for tests that check a refused or limited sign-in. */
export function login(url: string, username: string, password: string): Promise<Response> {
  return fetch(`${new URL(url).origin}/admin/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
}

/**
 * Signs in and returns the access token; any answer but 200 fails the test with its status and body. A 503 is tried
 * again a few times: on a loaded machine the first sign-in can outlast the bus timeout while services warm up. So is a
 * 429 from the hash gate (sign-ins in progress from this address, after its Retry-After): on the shared platform an
 * earlier file's hash that outlasted its bus timeout may still hold a place. Tests of those limits call `login`.
 */
export async function adminToken(url: string, username = 'admin', password = ADMIN_PASSWORD): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    const response = await login(url, username, password);
    if (response.status === 200) return ((await response.json()) as { access_token: string }).access_token;
    const retryAfter = Number(response.headers.get('retry-after'));
    const busy = response.status === 429 && retryAfter > 0 && retryAfter <= 5;
    if ((response.status !== 503 && !busy) || attempt === 5) throw new Error(`sign-in of ${username} failed: ${response.status} ${await response.text()}`);
    if (busy) await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000));
  }
}

const tokens = new Map<string, Promise<string>>();

/** fetch as the platform's admin, signing in once per gateway address (the platform must have ADMIN_PASSWORD). */
export async function adminFetch(url: string, init: RequestInit = {}): Promise<Response> {
  const origin = new URL(url).origin;
  let token = tokens.get(origin);
  if (!token) {
    token = adminToken(origin);
    tokens.set(origin, token);
    token.catch(() => tokens.delete(origin));
  }
  return fetch(url, { ...init, headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${await token}` } });
}
