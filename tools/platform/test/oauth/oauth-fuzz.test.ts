import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, json, startTestPlatform, type TestPlatform } from '../support/test-platform.js';

/**
 * Bad input at the HTTP edge, from a fixed seed so a failure replays exactly: malformed and oversize bodies, wrong
 * content types, repeated parameters, odd unicode (lone surrogates, NUL, RTL overrides), JSON where a form is expected
 * and the reverse. None may cause a 5xx, take the server down, get an OAuth endpoint to answer outside RFC 6749's
 * error vocabulary, or write anything.
 */
const SEED = 0x7e55e4a;
const CASES = 550;
const BODY_LIMIT = 256 * 1024;

/** RFC 6749 §5.2, RFC 7009 §2.2.1, and temporarily_unavailable (§4.1.2.1) for the rate-limited 429. */
const OAUTH_ERRORS = new Set([
  'invalid_request',
  'invalid_client',
  'invalid_grant',
  'unauthorized_client',
  'unsupported_grant_type',
  'invalid_scope',
  'unsupported_token_type',
  'temporarily_unavailable',
]);
const OAUTH_ENDPOINTS = ['/oauth/token', '/oauth/introspect', '/oauth/revoke'];

/** mulberry32: small, fast, and the same sequence everywhere for a given seed. */
function prng(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)];
  return { next, int, pick, chance: (p: number) => next() < p };
}
type Random = ReturnType<typeof prng>;

interface FuzzCase {
  name: string;
  method: 'GET' | 'POST' | 'PATCH';
  path: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
}

const ODD_STRINGS = [
  '\u0000',
  'a\u0000b',
  '\ud800',
  '\udfff',
  'x\ud83dy',
  '\u202eevil\u202c',
  '\u200f\u05d0\u05d1',
  '\ufeff',
  '\uffff',
  '😀',
  'e\u0301',
  '%',
  '%zz',
  '%00',
  '%ED%A0%80',
  '+',
  '&',
  '=',
  '\r\n',
  '\t',
  ' ',
  '"',
  "'",
  '\\',
  '<script>',
  '${x}',
  '../../etc',
  '__proto__',
  'constructor',
  '{"a":1}',
  '[]',
  'null',
  '-1',
  '1e309',
  '0x10',
];
const RAW_BYTE_SEQUENCES = [[0xed, 0xa0, 0x80], [0xc0, 0xaf], [0xff, 0xfe], [0x00], [0xe2, 0x80, 0xae], [0xf0, 0x9f, 0x98], [0x80]];
const PARAM_NAMES = [
  'grant_type',
  'client_id',
  'client_secret',
  'scope',
  'resource',
  'refresh_token',
  'code',
  'code_verifier',
  'redirect_uri',
  'token',
  'token_type_hint',
  'username',
  'password',
  '__proto__',
  'constructor',
  'hasOwnProperty',
  'toString',
  '',
  'a[b]',
  'a.b',
  'x',
];
const GRANTS = [
  'client_credentials',
  'refresh_token',
  'authorization_code',
  'password',
  'implicit',
  'urn:ietf:params:oauth:grant-type:jwt-bearer',
  'CLIENT_CREDENTIALS',
  '',
];
const CONTENT_TYPES = [
  'application/x-www-form-urlencoded',
  'application/x-www-form-urlencoded; charset=utf-8',
  'application/x-www-form-urlencoded; charset=utf-16',
  'APPLICATION/X-WWW-FORM-URLENCODED',
  'application/json',
  'application/json; charset=latin1',
  'text/plain',
  'text/html',
  'multipart/form-data; boundary=xyz',
  'multipart/form-data',
  'application/xml',
  'application/octet-stream',
  'application/x-www-form-urlencoded;;;',
  'application/json, text/plain',
  '*/*',
  'foo',
  '',
];

/** encodeURIComponent, except for lone surrogates (which it cannot encode): those become U+FFFD. */
function encode(text: string): string {
  return encodeURIComponent(
    text.replace(/[\ud800-\udfff]/g, (c, at: number, all: string) =>
      /[\ud800-\udbff][\udc00-\udfff]/.test(all.slice(at, at + 2)) || /[\ud800-\udbff][\udc00-\udfff]/.test(all.slice(at - 1, at + 1)) ? c : '\ufffd',
    ),
  );
}

function oddString(r: Random, maxLength = 64): string {
  const parts: string[] = [];
  const count = 1 + r.int(4);
  for (let i = 0; i < count; i++) parts.push(r.chance(0.5) ? r.pick(ODD_STRINGS) : 'aZ09._~-'.slice(r.int(8)) + String.fromCharCode(r.int(0x3000)));
  return parts.join('').slice(0, maxLength);
}

function longString(r: Random): string {
  return r.pick(['a', '\u00e9', '😀', '\u202e', '%']).repeat(r.pick([4097, 20_000, 100_000, 200_000]));
}

function value(r: Random): string {
  const roll = r.next();
  if (roll < 0.55) return oddString(r);
  if (roll < 0.65) return longString(r);
  return r.pick(['', 'x', 'client_credentials', 'Bearer', 'a'.repeat(43), '*:orgs=read', 'acme:users=read', 'https://api.example', 'https://x#frag']);
}

/** A form body as text, with percent-encoding that is sometimes wrong on purpose. */
function formText(r: Random, params: [string, string][]): string {
  // Lone surrogates cannot be percent-encoded as UTF-8: those go raw (and reach the wire as U+FFFD or CESU bytes).
  const escape = (text: string) => {
    try {
      return encodeURIComponent(text);
    } catch {
      return text;
    }
  };
  return params
    .map(([k, v]) => {
      const mode = r.int(4);
      if (mode === 0) return `${k}=${v}`; // raw, unescaped
      if (mode === 1) return escape(k); // a key without a value
      return `${escape(k)}=${escape(v)}`;
    })
    .join(r.pick(['&', '&', '&', ';', '&&']));
}

function withRawBytes(r: Random, text: string): Uint8Array {
  const bytes = Buffer.from(text, 'utf8');
  const at = r.int(bytes.length + 1);
  return Buffer.concat([bytes.subarray(0, at), Buffer.from(r.pick(RAW_BYTE_SEQUENCES)), bytes.subarray(at)]);
}

function jsonValue(r: Random, depth = 0): unknown {
  const roll = r.int(depth > 2 ? 4 : 7);
  if (roll === 0) return value(r);
  if (roll === 1) return r.pick([0, -1, 1e309, 3.5, Number.MAX_SAFE_INTEGER + 2]);
  if (roll === 2) return r.pick([true, false, null]);
  if (roll === 3) return r.pick(ODD_STRINGS);
  if (roll === 4) return Array.from({ length: r.int(4) }, () => jsonValue(r, depth + 1));
  return Object.fromEntries(Array.from({ length: r.int(4) }, () => [r.pick(PARAM_NAMES), jsonValue(r, depth + 1)]));
}

interface Fixture {
  clientId: string;
  clientSecret: string;
  adminToken: string;
  integrationId: string;
}

function oauthCase(r: Random, f: Fixture, i: number): FuzzCase {
  const path = r.pick(OAUTH_ENDPOINTS);
  const headers: Record<string, string> = {};
  const params: [string, string][] = [];
  const validClient = r.chance(0.35);
  if (path === '/oauth/token') params.push(['grant_type', r.chance(0.8) ? r.pick(GRANTS) : value(r)]);
  else params.push(['token', value(r)]);
  const extra = r.int(5);
  for (let k = 0; k < extra; k++) params.push([r.chance(0.8) ? r.pick(PARAM_NAMES) : oddString(r, 20), value(r)]);
  if (r.chance(0.2)) params.push([...params[r.int(params.length)]] as [string, string]); // a repeated parameter
  if (validClient) {
    if (r.chance(0.6)) headers.authorization = basic(f.clientId, f.clientSecret);
    else params.push(['client_id', f.clientId], ['client_secret', f.clientSecret]);
    // With a genuine client, a client_credentials request must stay invalid (a bad scope), or it would issue tokens.
    if (path === '/oauth/token' && params.some(([k, v]) => k === 'grant_type' && v === 'client_credentials'))
      params.push(['scope', `${oddString(r, 30)} not:a=permission!`]);
  } else {
    const roll = r.int(5);
    if (roll === 0) headers.authorization = `Basic ${Buffer.from(`${oddString(r)}:${oddString(r)}`).toString('base64')}`;
    if (roll === 1)
      headers.authorization = r.pick([
        'Basic',
        'Basic !!!',
        'Basic =',
        'Bearer x',
        'basic Og==',
        'Basic ' + 'A'.repeat(5000),
        `Basic ${Buffer.from(`${f.clientId}:wrong`).toString('base64')}`,
      ]);
    if (roll === 2) params.push(['client_id', value(r)], ['client_secret', value(r)]);
    if (roll === 3) params.push(['client_id', f.clientId]);
  }
  let body: string | Uint8Array;
  const shape = r.int(10);
  headers['content-type'] = shape < 6 ? 'application/x-www-form-urlencoded' : r.pick(CONTENT_TYPES);
  if (shape < 4) body = formText(r, params);
  else if (shape < 6) body = withRawBytes(r, formText(r, params));
  else if (shape < 8)
    body = r.chance(0.7) ? JSON.stringify(Object.fromEntries(params)) : `{"grant_type": ${r.pick(['', '"x"', '[', '{}', '"\\ud800"', '"\\u0000"'])}`;
  else body = r.chance(0.5) ? formText(r, params) : '';
  if (r.chance(0.04)) body = `grant_type=client_credentials&junk=${'x'.repeat(BODY_LIMIT + 1024)}`;
  if (headers['content-type'] === '') delete headers['content-type'];
  return {
    name: `#${i} ${path} (${validClient ? 'genuine client' : 'no valid client'}, ${headers['content-type'] ?? 'no content type'})`,
    method: 'POST',
    path,
    headers,
    body,
  };
}

function authorizeCase(r: Random, f: Fixture, i: number): FuzzCase {
  const params: [string, string][] = [
    ['response_type', r.pick(['code', 'token', '', oddString(r)])],
    ['client_id', r.chance(0.5) ? f.clientId : value(r)],
  ];
  for (let k = r.int(6); k > 0; k--)
    params.push([
      r.pick([
        'redirect_uri',
        'state',
        'scope',
        'code_challenge',
        'code_challenge_method',
        'resource',
        'csrf',
        'request',
        'action',
        'username',
        'password',
        '__proto__',
      ]),
      value(r),
    ]);
  if (r.chance(0.3)) params.push([...params[r.int(params.length)]] as [string, string]);
  if (r.chance(0.5)) {
    const query = formText(
      r,
      params.map(([k, v]) => [k, v.slice(0, 2000)] as [string, string]),
    );
    return {
      name: `#${i} GET /oauth/authorize`,
      method: 'GET',
      path: `/oauth/authorize?${query.replace(/[\s#]/g, (c) => encodeURIComponent(c))}`,
      headers: r.chance(0.3) ? { cookie: `tessera_csrf=${oddString(r).replace(/[^\x21-\x7e]/g, 'x')}` } : {},
    };
  }
  const contentType = r.chance(0.6) ? 'application/x-www-form-urlencoded' : r.pick(CONTENT_TYPES);
  const body = r.chance(0.3) ? JSON.stringify(Object.fromEntries(params)) : r.chance(0.3) ? withRawBytes(r, formText(r, params)) : formText(r, params);
  return {
    name: `#${i} POST /oauth/authorize (${contentType})`,
    method: 'POST',
    path: '/oauth/authorize',
    headers: { 'content-type': contentType, cookie: `tessera_csrf=abc` },
    body,
  };
}

function adminLoginCase(r: Random, _f: Fixture, i: number): FuzzCase {
  const body = r.pick([
    () => JSON.stringify({ username: r.chance(0.5) ? 'admin' : jsonValue(r), password: jsonValue(r) }),
    () => JSON.stringify(jsonValue(r)),
    () => `{"username":"admin","password":${r.pick(['"\\u0000"', '"\\ud800"', '[]', '{}', 'null', '1', '"' + 'p'.repeat(2000) + '"'])}}`,
    () => `{"username":"${r.pick(['\\u0000', 'adm\\u0000in', '\\ud800', '\\u202eadmin', 'ADMIN', ' admin'])}","password":"x"}`,
    () => `username=admin&password=${encode(oddString(r))}`,
    () => '{"username":',
    () => `{"username":"admin","password":"${'x'.repeat(BODY_LIMIT)}"}`,
  ])();
  const contentType = r.chance(0.7) ? 'application/json' : r.pick(CONTENT_TYPES);
  return {
    name: `#${i} POST /admin/login (${contentType})`,
    method: 'POST',
    path: '/admin/login',
    headers: contentType ? { 'content-type': contentType } : {},
    body,
  };
}

/** Always invalid in at least one field, so no fuzz case can create or change an integration. */
function integrationBody(r: Random): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (r.chance(0.7)) body.name = r.chance(0.6) ? value(r) : jsonValue(r);
  if (r.chance(0.7)) body.permissions = r.chance(0.5) ? ['*:orgs=read', value(r)] : jsonValue(r);
  for (const field of [
    'redirectUris',
    'enabled',
    'refreshTokensValidUntilRevoked',
    'accessTokenTtlSeconds',
    'applicationId',
    '__proto__',
    'constructor',
    oddString(r, 10),
  ]) {
    if (r.chance(0.2)) body[field] = jsonValue(r);
  }
  const poison = r.int(4);
  if (poison === 0) body.permissions = ['*:orgs=read', `bad permission ${oddString(r, 10)}`];
  if (poison === 1) body.accessTokenTtlSeconds = r.pick([-1, 0, 59, 86_401, 1.5, '3600', 1e309]);
  if (poison === 2) body[`unknown_${r.int(1000)}`] = jsonValue(r);
  if (poison === 3) body.redirectUris = [r.pick(['javascript:alert(1)', 'ftp://x', 'not a url', '\u0000', 'http://\ud800'])];
  return body;
}

function integrationsCase(r: Random, f: Fixture, i: number): FuzzCase {
  const method = r.pick(['POST', 'PATCH'] as const);
  const path =
    method === 'POST'
      ? '/admin/integrations'
      : `/admin/integrations/${r.chance(0.8) ? f.integrationId : r.pick(['x', '00000000-0000-0000-0000-000000000000', '%00', '..', encodeURIComponent('\u202e')])}`;
  const contentType = r.chance(0.75) ? 'application/json' : r.pick(CONTENT_TYPES);
  let body: string | Uint8Array = JSON.stringify(integrationBody(r));
  if (r.chance(0.1)) body = withRawBytes(r, body);
  if (r.chance(0.05)) body = `{"name":"${'n'.repeat(BODY_LIMIT)}","permissions":["*:orgs=read"],"bad":1}`;
  if (r.chance(0.05)) body = r.pick(['{', '[', '{"name":}', 'null', '1', '"x"', '{"__proto__":{"admin":true},"x":1}']);
  if (contentType.startsWith('application/x-www-form-urlencoded')) body = `name=${encode(oddString(r))}&permissions=*:orgs=read&permissions=bad!&bogus=1`;
  return {
    name: `#${i} ${method} ${path} (${contentType})`,
    method,
    path,
    headers: { authorization: `Bearer ${f.adminToken}`, ...(contentType ? { 'content-type': contentType } : {}) },
    body,
  };
}

/** JSON nested `depth` deep, as arrays or objects, sometimes past the gateway's limit. */
function deepJson(r: Random): string {
  const depth = r.pick([10, 63, 65, 1000, 100_000]);
  return r.chance(0.5) ? '['.repeat(depth) + ']'.repeat(depth) : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

const HUGE_NUMBERS = ['9223372036854775807', '-9223372036854775808', '1e308', '1e309', '-1', '2147483648', '4294967296', '0x10', 'NaN', 'Infinity', '1.5', ''];
/** Read-only or always-invalid /admin requests: lists with odd queries, bodies that fail validation, deep nesting. */
const ADMIN_LISTS = ['/admin/integrations', '/admin/instances', '/admin/providers', '/admin/tokens', '/admin/permissions'];
const ADMIN_WRITES = ['/admin/instances', '/admin/providers', '/admin/providers/import', '/admin/tokens'];

function adminCase(r: Random, f: Fixture, i: number): FuzzCase {
  const headers: Record<string, string> = { authorization: `Bearer ${f.adminToken}` };
  if (r.chance(0.4)) {
    const query = Array.from(
      { length: 1 + r.int(3) },
      () => `${r.pick(['offset', 'limit', 'name', 'enabled', 'state', 'x', '__proto__'])}=${encode(r.chance(0.6) ? r.pick(HUGE_NUMBERS) : oddString(r, 20))}`,
    ).join('&');
    const path = `${r.pick(ADMIN_LISTS)}?${query}`;
    return { name: `#${i} GET ${path.slice(0, 80)}`, method: 'GET', path, headers };
  }
  const target = r.chance(0.2) ? `/admin/instances/${r.pick([f.integrationId, 'x', '00000000-0000-0000-0000-000000000000'])}` : r.pick(ADMIN_WRITES);
  const method = target.startsWith('/admin/instances/') ? 'PATCH' : 'POST';
  const contentType = r.chance(0.75) ? 'application/json' : r.pick([...CONTENT_TYPES, 'application/yaml', 'text/yaml']);
  let body: string | Uint8Array;
  const roll = r.int(5);
  if (roll === 0) body = deepJson(r);
  else if (roll === 1)
    body = JSON.stringify({
      document: r.chance(0.5) ? `openapi: 3.0.0\npaths: ${'- '.repeat(r.pick([10, 1000, 60_000]))}x` : '['.repeat(r.pick([10, 10_000])),
    }); // imports: YAML text nested deep
  else if (roll === 2) body = JSON.stringify({ ...(jsonValue(r) as object), limit: Number(r.pick(HUGE_NUMBERS)), offset: 1e308, bogus: 1 });
  else if (roll === 3) body = withRawBytes(r, JSON.stringify(jsonValue(r)));
  else
    body = contentType.includes('yaml')
      ? `openapi: 3.0.0\n${'  '.repeat(r.int(400))}x: [${'['.repeat(r.int(200))}`
      : JSON.stringify({ name: oddString(r), bogus: jsonValue(r) });
  if (contentType) headers['content-type'] = contentType;
  return { name: `#${i} ${method} ${target} (${contentType || 'no content type'})`, method, path: target, headers, body };
}

/** The proxy with no such token or instance, odd paths (dot segments, backslashes, encoded controls) and bodies. */
function proxyCase(r: Random, f: Fixture, i: number): FuzzCase {
  const segment = () => r.pick(['..', '%2e%2e', '..%2f', '%5c', '\\', '.%09.', '%0d%0a', '%00', encode(oddString(r, 12)), 'a', '']);
  const path = `/proxy/${r.chance(0.3) ? 'instances/' : ''}${r.pick(['nothing', 'x', '%2e%2e', encode(oddString(r, 10))])}/${Array.from({ length: r.int(4) }, segment).join('/')}`;
  const headers: Record<string, string> = r.chance(0.7) ? { authorization: `Bearer ${f.adminToken}` } : {};
  const method = r.pick(['GET', 'POST', 'PATCH'] as const);
  const contentType = r.pick(CONTENT_TYPES);
  if (method !== 'GET' && contentType) headers['content-type'] = contentType;
  return {
    name: `#${i} ${method} ${path.slice(0, 80)}`,
    method,
    path,
    headers,
    body: method === 'GET' ? undefined : r.chance(0.5) ? deepJson(r) : withRawBytes(r, oddString(r)),
  };
}

/** Otherwise valid requests with a NUL in one string: Postgres text cannot hold it, so each must be a clean 4xx. */
function nulCases(f: Fixture): FuzzCase[] {
  const admin = { authorization: `Bearer ${f.adminToken}`, 'content-type': 'application/json' };
  const formType = { 'content-type': 'application/x-www-form-urlencoded' };
  return [
    {
      name: 'NUL in a new integration name',
      method: 'POST',
      path: '/admin/integrations',
      headers: admin,
      body: '{"name":"a\\u0000b","permissions":["*:orgs=read"]}',
    },
    {
      name: 'NUL in a redirect URI',
      method: 'POST',
      path: '/admin/integrations',
      headers: admin,
      body: '{"name":"ok","permissions":["*:orgs=read"],"redirectUris":["https://app.example/a\\u0000b"]}',
    },
    { name: 'NUL in a renamed integration', method: 'PATCH', path: `/admin/integrations/${f.integrationId}`, headers: admin, body: '{"name":"\\u0000"}' },
    {
      name: 'NUL in the admin username',
      method: 'POST',
      path: '/admin/login',
      headers: { 'content-type': 'application/json' },
      body: '{"username":"ad\\u0000min","password":"x"}',
    },
    {
      name: 'NUL in a client_id (client_secret_post)',
      method: 'POST',
      path: '/oauth/token',
      headers: formType,
      body: 'grant_type=client_credentials&client_id=a%00b&client_secret=x',
    },
    {
      name: 'NUL in a client_id (client_secret_basic)',
      method: 'POST',
      path: '/oauth/introspect',
      headers: { ...formType, authorization: `Basic ${Buffer.from('a\u0000b:x').toString('base64')}` },
      body: 'token=x',
    },
  ];
}

function cases(fixture: Fixture): FuzzCase[] {
  const r = prng(SEED);
  const makers = [
    oauthCase,
    oauthCase,
    oauthCase,
    oauthCase,
    authorizeCase,
    adminLoginCase,
    integrationsCase,
    integrationsCase,
    adminCase,
    adminCase,
    proxyCase,
  ];
  const all = Array.from({ length: CASES }, (_, i) => r.pick(makers)(r, fixture, i));
  // Failed client authentications are rate limited per address; send the genuine-client cases first so they reach
  // the grant logic before the limiter starts answering 429 to everything from this address.
  return [...nulCases(fixture), ...all.filter((c) => c.name.includes('genuine client')), ...all.filter((c) => !c.name.includes('genuine client'))];
}

let t: TestPlatform;
let fixture: Fixture;

async function rowCounts(): Promise<Record<string, number>> {
  const tables = ['"registry"."integration"', '"auth"."refresh_token_family"', '"auth"."refresh_token"'];
  const counts: Record<string, number> = {};
  for (const table of tables) counts[table] = Number((await t.db.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`))[0].n);
  return counts;
}

async function integrationView(): Promise<unknown> {
  return json(await fetch(`${t.url}/admin/integrations/${fixture.integrationId}`, { headers: { authorization: `Bearer ${fixture.adminToken}` } }));
}

beforeAll(async () => {
  t = await startTestPlatform();
  const adminToken = await t.adminToken();
  const response = await fetch(`${t.url}/admin/integrations`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'fuzz target', permissions: ['*:orgs=read'], redirectUris: ['https://app.example/callback'] }),
  });
  expect(response.status).toBe(201);
  const created = await json<{ id: string; applicationId: string; appSecret: string }>(response);
  fixture = { clientId: created.applicationId, clientSecret: created.appSecret, adminToken, integrationId: created.id };
});
afterAll(() => t?.stop());

describe('bad input at the HTTP edge (fixed seed)', () => {
  it('never answers 5xx, answers OAuth errors in RFC 6749 terms, writes nothing, and stays ready', { timeout: 180_000 }, async () => {
    const before = await rowCounts();
    const viewBefore = await integrationView();
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    for (const c of cases(fixture)) {
      let response: Response;
      try {
        // No hang: every answer within 10 s (the bus timeout is 2 s in tests).
        response = await fetch(`${t.url}${c.path}`, {
          method: c.method,
          headers: c.headers,
          body: c.body as RequestInit['body'],
          signal: AbortSignal.timeout(10_000),
        });
      } catch (error) {
        // The client refusing to send (e.g. a header it rejects) is not the server's doing; a dropped connection is.
        const cause = String((error as { cause?: { code?: string } }).cause?.code ?? '');
        if (/ECONNRESET|UND_ERR_SOCKET|ECONNREFUSED/.test(cause)) failures.push(`${c.name}: connection failed (${cause})`);
        if ((error as Error).name === 'TimeoutError') failures.push(`${c.name}: no answer within 10 s`);
        continue;
      }
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      const text = await response.text();
      if (response.status >= 500)
        failures.push(
          `${c.name}: ${response.status} ${text.slice(0, 200)} (sent ${Buffer.from(c.body ?? '')
            .toString('utf8')
            .slice(0, 200)})`,
        );
      if (OAUTH_ENDPOINTS.includes(c.path)) {
        if (c.path === '/oauth/token' && response.status === 200) failures.push(`${c.name}: issued a token`);
        let body: { error?: unknown } | undefined;
        try {
          body = JSON.parse(text);
        } catch {
          failures.push(`${c.name}: ${response.status} answered a body that is not JSON: ${text.slice(0, 100)}`);
          continue;
        }
        if (response.status >= 400 && !OAUTH_ERRORS.has(String(body?.error)))
          failures.push(`${c.name}: ${response.status} error ${JSON.stringify(body?.error)} is not an RFC 6749 error code`);
      } else if (/^\/(admin|proxy)\//.test(c.path) && response.status >= 400) {
        // REST errors keep the one shape: { statusCode, error, message }.
        let body: { statusCode?: unknown; error?: unknown; message?: unknown } | undefined;
        try {
          body = JSON.parse(text);
        } catch {
          /* reported below */
        }
        if (body?.statusCode !== response.status || typeof body?.error !== 'string' || typeof body?.message !== 'string')
          failures.push(`${c.name}: ${response.status} error body is not {statusCode, error, message}: ${text.slice(0, 120)}`);
      }
    }
    expect(failures, `statuses seen: ${JSON.stringify(Object.fromEntries(statuses))}`).toEqual([]);
    expect((await fetch(`${t.url}/health/ready`)).status).toBe(200);
    expect(await rowCounts()).toEqual(before);
    expect(await integrationView()).toEqual(viewBefore);
  });
});
