/** The REST error body every /admin route answers with; `fields` maps a field to its messages (400). */
export interface RestErrorBody {
  statusCode: number;
  error: string;
  message: string;
  fields?: Record<string, string[]>;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: RestErrorBody,
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

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

export type Query = Record<string, string | number | boolean | undefined>;

export function queryString(query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== '') params.set(key, String(value));
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

  async request<T>(method: string, path: string, body?: unknown, query?: Query): Promise<T> {
    const response = await this.fetchImpl(`${path}${queryString(query)}`, {
      method,
      headers: { authorization: `Bearer ${this.token}`, accept: 'application/json', ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    if (response.status === 401) this.onUnauthorized();
    return parse<T>(response);
  }

  get<T>(path: string, query?: Query) {
    return this.request<T>('GET', path, undefined, query);
  }
  post<T>(path: string, body: unknown = {}) {
    return this.request<T>('POST', path, body);
  }
  patch<T>(path: string, body: unknown) {
    return this.request<T>('PATCH', path, body);
  }
  delete(path: string) {
    return this.request<void>('DELETE', path);
  }

  /** Opens a streaming GET (server-sent events) with the Bearer header, which EventSource cannot send. */
  stream(path: string, query: Query, signal: AbortSignal): Promise<Response> {
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
    const error = (body && typeof body === 'object' ? body : {}) as Partial<RestErrorBody>;
    throw new ApiError(response.status, {
      statusCode: response.status,
      error: error.error ?? (response.status === 404 ? 'endpoint_not_found' : 'http_error'),
      message: error.message ?? (text.slice(0, 200) || response.statusText || `HTTP ${response.status}`),
      fields: error.fields,
    });
  }
  return body as T;
}

export interface LoginResult {
  access_token: string;
  expires_in: number;
  scope?: string;
  /** Signed in with a one-time password: the token can only change it. */
  must_change_password?: true;
}

export async function login(username: string, password: string, fetchImpl: typeof fetch = (...args) => fetch(...args)): Promise<LoginResult> {
  const response = await fetchImpl('/admin/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  return parse<LoginResult>(response);
}
