import type { HttpInput, HttpMethod, HttpPath, HttpPathWith, HttpReply, RestError, TokenResponse } from '@tessera/contracts';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: RestError,
  ) {
    super(body.message || `Request failed (${status})`);
    this.name = 'ApiError';
  }

  get fields(): Record<string, string[]> {
    return this.body.fields ?? {};
  }

  /**
   * The server does not have this route at all (an older Tessera, or a feature not built there): the router's own
   * 404 ("Cannot POST /admin/…") or a 404 without a JSON body. A 404 for an id (`error: "not_found"`) is not that.
   */
  get notAvailable(): boolean {
    return this.status === 404 && (this.body.error === 'endpoint_not_found' || /^Cannot [A-Z]+ \//.test(this.body.message));
  }
}

type Query = Record<string, string | number | boolean | undefined>;

/** What a call passes: nothing, or `{ params }`, `{ query }`, `{ body }` as the route takes them (optional when all are). */
type Input<P extends HttpPath, M extends HttpMethod> = object extends HttpInput<P, M> ? [input?: HttpInput<P, M>] : [input: HttpInput<P, M>];
type Sent = { params?: Record<string, string>; query?: object; body?: unknown };

function queryString(query: object = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query as Query)) if (value !== undefined && value !== '') params.set(key, String(value));
  const text = params.toString();
  return text ? `?${text}` : '';
}

/**
 * Calls the gateway's /admin API with the admin token. The token lives only in this object (JS memory): never in
 * localStorage or a cookie, so a reload logs out and the browser never attaches it to a request on its own (no CSRF).
 */
export class ApiClient {
  constructor(
    private readonly token: string,
    private readonly onUnauthorized: () => void = () => undefined,
    private readonly fetchImpl: typeof fetch = (...args) => fetch(...args),
  ) {}

  /** GET a route of the API (contracts' HTTP_API): its path with `:id`s, `{ params, query }` as it takes them; typed reply. */
  get<P extends HttpPathWith<'get'>>(path: P, ...[input]: Input<P, 'get'>) {
    return this.call<P, 'get'>('get', path, input as Sent | undefined);
  }
  post<P extends HttpPathWith<'post'>>(path: P, ...[input]: Input<P, 'post'>) {
    return this.call<P, 'post'>('post', path, input as Sent | undefined);
  }
  patch<P extends HttpPathWith<'patch'>>(path: P, ...[input]: Input<P, 'patch'>) {
    return this.call<P, 'patch'>('patch', path, input as Sent | undefined);
  }
  delete<P extends HttpPathWith<'delete'>>(path: P, ...[input]: Input<P, 'delete'>) {
    return this.call<P, 'delete'>('delete', path, input as Sent | undefined);
  }

  private async call<P extends HttpPath, M extends HttpMethod>(method: M, path: P, input?: Sent): Promise<HttpReply<P, M>> {
    const url = path.replace(/:(\w+)/g, (_, name: string) => encodeURIComponent(input?.params?.[name] ?? ''));
    // An action POST without a body still sends `{}`: the route reads JSON.
    const body = input?.body ?? (method === 'post' ? {} : undefined);
    const response = await this.fetchImpl(`${url}${queryString(input?.query)}`, {
      method: method.toUpperCase(),
      headers: { authorization: `Bearer ${this.token}`, accept: 'application/json', ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    if (response.status === 401) this.onUnauthorized();
    return parse<HttpReply<P, M>>(response);
  }

  /** Opens a streaming GET (server-sent events) with the Bearer header, which EventSource cannot send. */
  stream(path: '/admin/events/stream' | '/admin/audit/export', query: object, signal: AbortSignal): Promise<Response> {
    return this.fetchImpl(`${path}${queryString(query)}`, { headers: { authorization: `Bearer ${this.token}`, accept: 'text/event-stream' }, signal });
  }
}

export async function parse<T>(response: Response): Promise<T> {
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (!response.ok) {
    const error = (body && typeof body === 'object' ? body : {}) as Partial<RestError>;
    throw new ApiError(response.status, {
      statusCode: response.status,
      error: error.error ?? (response.status === 404 ? 'endpoint_not_found' : 'http_error'),
      message: error.message ?? (text.slice(0, 200) || response.statusText || `HTTP ${response.status}`),
      fields: error.fields,
    });
  }
  return body as T;
}

/** Signs in; `must_change_password` in the answer: signed in with a one-time password, the token can only change it. */
export async function login(username: string, password: string, fetchImpl: typeof fetch = (...args) => fetch(...args)): Promise<TokenResponse> {
  const response = await fetchImpl('/admin/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  return parse<TokenResponse>(response);
}

/**
 * After a reload: the session the browser's HttpOnly cookie names, as a fresh token (the token itself lived in the
 * page's memory). Rejects when there is none to resume (204, or the session ended); the console then shows the sign-in.
 */
export async function resumeSession(fetchImpl: typeof fetch = (...args) => fetch(...args)): Promise<TokenResponse> {
  const response = await fetchImpl('/admin/session/resume', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { accept: 'application/json', 'x-tessera-console': 'resume' },
  });
  const result = await parse<TokenResponse | undefined>(response);
  if (!result) throw new Error('No session to resume');
  return result;
}
