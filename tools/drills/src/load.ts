import { ADMIN_PASSWORD } from './environment.js';

/** One request the load made: when it went, when it ended, and how. */
export interface Outcome {
  kind: 'client_credentials' | 'refresh' | 'admin_write' | 'outbound_read' | 'revocation_probe';
  sentAt: number;
  endedAt: number;
  /** HTTP status, or 0 for a network error or timeout. */
  status: number;
  /** For status 0: the connection was reset or closed under the request, the request timed out, or something else. */
  network?: 'reset' | 'timeout' | 'other';
}

const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);

/** How a fetch failed without an answer: undici reports a dead connection in `cause.code`, a timeout by name. */
function networkFailure(error: unknown): NonNullable<Outcome['network']> {
  if (error instanceof Error && error.name === 'TimeoutError') return 'timeout';
  const code = (error as { cause?: { code?: string } } | undefined)?.cause?.code;
  return code && RESET_CODES.has(code) ? 'reset' : 'other';
}

/** Something a guarantee is about, with when it happened. */
export interface Incident {
  kind: 'lost_grant' | 'burnt_refresh_token' | 'revoked_token_accepted' | 'token_issued_after_disable';
  at: number;
  detail: string;
}

export interface LoadRates {
  /** client_credentials requests per second (spread over a few integrations). */
  clientCredentialsPerSecond: number;
  /** Refresh-token grants kept rotating; each refreshes about `refreshesPerSecond / grants` times a second. */
  grants: number;
  refreshesPerSecond: number;
  adminWritesPerSecond: number;
  /** Reads of outbound tokens (GET /tokens/:name) per second. */
  outboundReadsPerSecond: number;
  /** How often a fresh token is revoked and then presented again, and an integration disabled and asked for a token. */
  probesPerSecond: number;
}

export const DRILL_LOAD: LoadRates = {
  clientCredentialsPerSecond: 80,
  grants: 30,
  refreshesPerSecond: 40,
  adminWritesPerSecond: 2,
  outboundReadsPerSecond: 5,
  probesPerSecond: 1,
};

const form = { 'content-type': 'application/x-www-form-urlencoded' };
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Client {
  applicationId: string;
  appSecret: string;
  id: string;
}

/**
 * Open-loop load on the gateway: requests go out at their rate whether or not earlier ones have answered, so an outage
 * shows as failures rather than as a slower client. Every outcome and every broken promise is recorded with its time.
 */
export class PlatformLoad {
  readonly outcomes: Outcome[] = [];
  readonly incidents: Incident[] = [];
  /** Requests sent and not yet answered. */
  inFlight = 0;
  private timers: NodeJS.Timeout[] = [];
  private loops: Promise<void>[] = [];
  private running = false;
  private clients: Client[] = [];
  private scratch?: Client;
  private adminToken = '';
  private outboundNames: string[] = [];
  private counter = 0;

  constructor(
    private readonly url: string,
    private readonly rates: LoadRates,
  ) {}

  async prepare(outboundNames: string[]): Promise<void> {
    this.outboundNames = outboundNames;
    for (let i = 0; i < 4; i++) this.clients.push(await this.createIntegration(`load-${i}`));
    this.scratch = await this.createIntegration('scratch');
  }

  /** An admin call during set-up, retried while the platform answers 503 (a loaded machine's slow start). */
  async setUp(method: string, path: string, body?: unknown): Promise<Response> {
    for (let attempt = 0; ; attempt++) {
      const response = await this.admin(method, path, body).catch(() => undefined);
      if (response && (response.status !== 503 || attempt >= 20)) return response;
      await sleep(500);
    }
  }

  async admin(method: string, path: string, body?: unknown): Promise<Response> {
    while (!this.adminToken) {
      const login = await fetch(`${this.url}/admin/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
      });
      if (login.status === 503) return login;
      if (login.status !== 200) throw new Error(`admin login failed: ${login.status}`);
      this.adminToken = ((await login.json()) as { access_token: string }).access_token;
      setTimeout(() => (this.adminToken = ''), 10 * 60_000).unref(); // admin tokens live 15 minutes
    }
    return fetch(`${this.url}${path}`, {
      method,
      signal: AbortSignal.timeout(10_000),
      headers: { authorization: `Bearer ${this.adminToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  private async createIntegration(name: string): Promise<Client> {
    const response = await this.setUp('POST', '/admin/integrations', { name: `${name}-${++this.counter}-${Date.now()}`, permissions: ['*:orgs=read'] });
    if (response.status !== 201) throw new Error(`creating an integration failed: ${response.status} ${await response.text()}`);
    return (await response.json()) as Client;
  }

  private token(client: Client, params: Record<string, string>) {
    return fetch(`${this.url}/oauth/token`, {
      method: 'POST',
      headers: { ...form, authorization: basic(client.applicationId, client.appSecret) },
      body: new URLSearchParams(params).toString(),
      signal: AbortSignal.timeout(10_000),
    });
  }

  /** Runs one request, recording its outcome; resolves with the response (undefined on a network error). */
  private async record(kind: Outcome['kind'], send: () => Promise<Response>): Promise<Response | undefined> {
    const sentAt = Date.now();
    this.inFlight++;
    try {
      const response = await send();
      await response
        .clone()
        .arrayBuffer()
        .catch(() => undefined);
      this.outcomes.push({ kind, sentAt, endedAt: Date.now(), status: response.status });
      return response;
    } catch (error) {
      this.outcomes.push({ kind, sentAt, endedAt: Date.now(), status: 0, network: networkFailure(error) });
      return undefined;
    } finally {
      this.inFlight--;
    }
  }

  private every(perSecond: number, tick: () => Promise<unknown>): void {
    if (perSecond <= 0) return;
    // Several ticks per timer firing at high rates: timers are not precise below a few milliseconds.
    const intervalMs = Math.max(10, 1000 / perSecond);
    const perTick = Math.max(1, Math.round((perSecond * intervalMs) / 1000));
    this.timers.push(
      setInterval(() => {
        for (let i = 0; i < perTick; i++) void tick().catch(() => undefined);
      }, intervalMs),
    );
  }

  start(): void {
    this.running = true;
    let next = 0;
    this.every(this.rates.clientCredentialsPerSecond, () =>
      this.record('client_credentials', () => this.token(this.clients[next++ % this.clients.length], { grant_type: 'client_credentials' })),
    );
    let write = 0;
    this.every(this.rates.adminWritesPerSecond, () =>
      this.record('admin_write', () => this.admin('PATCH', `/admin/integrations/${this.scratch!.id}`, { name: `scratch-${Date.now()}-${write++}` })),
    );
    let read = 0;
    if (this.outboundNames.length)
      this.every(this.rates.outboundReadsPerSecond, () =>
        this.record('outbound_read', () => this.admin('GET', `/tokens/${this.outboundNames[read++ % this.outboundNames.length]}`)),
      );
    this.every(this.rates.probesPerSecond, () => this.revocationProbe());
    this.every(this.rates.probesPerSecond / 3, () => this.disableProbe());
    const perGrantIntervalMs = (1000 * this.rates.grants) / Math.max(0.1, this.rates.refreshesPerSecond);
    for (let g = 0; g < this.rates.grants; g++)
      this.loops.push(this.rotate(this.clients[g % this.clients.length], perGrantIntervalMs, (g * perGrantIntervalMs) / this.rates.grants));
  }

  /**
   * One refresh-token grant kept rotating, as a well-behaved client does: a failed refresh (5xx, network) is retried
   * with the same token, since the client cannot know whether the rotation happened. A refresh refused as invalid is a
   * lost grant; refused right after a failure, the failed request burnt the token it presented.
   */
  private async rotate(client: Client, intervalMs: number, offsetMs: number): Promise<void> {
    await sleep(offsetMs);
    let refreshToken: string | undefined;
    let failedBefore = false;
    while (this.running) {
      if (!refreshToken) {
        const issued = await this.token(client, { grant_type: 'client_credentials' }).then(
          (r) => (r.status === 200 ? (r.json() as Promise<{ refresh_token?: string }>) : undefined),
          () => undefined,
        );
        refreshToken = issued?.refresh_token;
        failedBefore = false;
        await sleep(refreshToken ? intervalMs : 200);
        continue;
      }
      const presented = refreshToken;
      const response = await this.record('refresh', () => this.token(client, { grant_type: 'refresh_token', refresh_token: presented }));
      const body = response ? ((await response.json().catch(() => ({}))) as { refresh_token?: string; error?: string }) : {};
      if (response?.status === 200 && body.refresh_token) {
        refreshToken = body.refresh_token;
        failedBefore = false;
      } else if (response && response.status === 400 && body.error === 'invalid_grant') {
        this.incidents.push({ kind: 'lost_grant', at: Date.now(), detail: `${client.applicationId}: refresh refused as invalid_grant` });
        if (failedBefore)
          this.incidents.push({
            kind: 'burnt_refresh_token',
            at: Date.now(),
            detail: `${client.applicationId}: a failed refresh burnt the token it presented`,
          });
        refreshToken = undefined;
      } else {
        failedBefore = true;
        await sleep(200);
        continue;
      }
      await sleep(intervalMs);
    }
  }

  /** A fresh token is revoked; once the revocation has answered, presenting it must fail within a second. */
  private async revocationProbe(): Promise<void> {
    const client = this.clients[0];
    const issued = await this.token(client, { grant_type: 'client_credentials' }).then(
      (r) => (r.status === 200 ? (r.json() as Promise<{ access_token: string }>) : undefined),
      () => undefined,
    );
    if (!issued) return;
    const revoked = await fetch(`${this.url}/oauth/revoke`, {
      method: 'POST',
      headers: { ...form, authorization: basic(client.applicationId, client.appSecret) },
      body: new URLSearchParams({ token: issued.access_token }).toString(),
      signal: AbortSignal.timeout(10_000),
    }).catch(() => undefined);
    if (revoked?.status !== 200) return;
    const answeredAt = Date.now();
    await sleep(1000);
    const probe = await this.record('revocation_probe', () =>
      fetch(`${this.url}/api/whoami`, { headers: { authorization: `Bearer ${issued.access_token}` }, signal: AbortSignal.timeout(10_000) }),
    );
    if (probe?.status === 200)
      this.incidents.push({ kind: 'revoked_token_accepted', at: Date.now(), detail: `accepted ${Date.now() - answeredAt} ms after its revocation answered` });
  }

  /** An integration disabled: once the PATCH has answered, no token may be issued to it. */
  private async disableProbe(): Promise<void> {
    const client = await this.createIntegration('disable-probe').catch(() => undefined);
    if (!client) return;
    const disabled = await this.admin('PATCH', `/admin/integrations/${client.id}`, { enabled: false }).catch(() => undefined);
    if (disabled?.status !== 200) return;
    const answeredAt = Date.now();
    for (let i = 0; i < 3; i++) {
      const response = await this.token(client, { grant_type: 'client_credentials' }).catch(() => undefined);
      if (response?.status === 200)
        this.incidents.push({ kind: 'token_issued_after_disable', at: Date.now(), detail: `issued ${Date.now() - answeredAt} ms after the disable answered` });
    }
    await this.admin('DELETE', `/admin/integrations/${client.id}`).catch(() => undefined);
  }

  async stop(): Promise<void> {
    this.running = false;
    for (const timer of this.timers.splice(0)) clearInterval(timer);
    await Promise.all(this.loops.splice(0));
    for (let waited = 0; this.inFlight > 0 && waited < 12_000; waited += 50) await sleep(50);
  }
}
