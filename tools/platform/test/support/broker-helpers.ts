import { SecretBox } from '@tessera/crypto';
import { adminToken } from './sign-in.js';

/** The broker tests' helpers on a platform: admin calls as JSON, and a look inside what the broker sealed. */
export interface BrokerHelpers {
  /** Opens a value the broker sealed (the test holds the encryption key), to check what it stored. */
  openSealed(sealed: string, rowId: string, field: string): string;
  /** The Authorization header admin calls carry (empty where the gateway has no admin login yet). */
  authHeaders(): Promise<Record<string, string>>;
  http<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: T; text: string; headers: Headers }>;
}

/** Helpers on the platform at `url` whose encryption key is `encryptionKey` (no platform code: shared files load light). */
export function brokerHelpers(url: string, encryptionKey: Buffer): BrokerHelpers {
  let authorization: Promise<Record<string, string>> | undefined;
  const authHeaders = () => (authorization ??= adminToken(url).then((token) => ({ authorization: `Bearer ${token}` })));
  return {
    authHeaders,
    openSealed: (sealed, rowId, field) => new SecretBox(encryptionKey, 'outbound-token-broker').open(sealed, `${rowId}:${field}`),
    async http(method, path, body, headers = {}) {
      const isText = typeof body === 'string';
      const response = await fetch(`${url}${path}`, {
        method,
        redirect: 'manual',
        headers: { ...(await authHeaders()), ...(body === undefined ? {} : { 'content-type': isText ? 'application/yaml' : 'application/json' }), ...headers },
        body: body === undefined ? undefined : isText ? body : JSON.stringify(body),
      });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        /* HTML or empty */
      }
      return { status: response.status, body: parsed as never, text, headers: response.headers };
    },
  };
}
