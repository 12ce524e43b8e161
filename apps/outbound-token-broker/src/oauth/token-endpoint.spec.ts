import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Egress, EgressPolicy } from '@tessera/egress';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenEndpointError } from './token-endpoint-error.js';
import { answerSaysOk, endpointRequest, postToEndpoint } from './token-endpoint.js';

const client = { clientId: 'app one', clientSecret: 's3cret', method: 'client_secret_post' as const };
const params = { grant_type: 'authorization_code', code: 'c 1' };

describe('endpointRequest: how the parameters travel', () => {
  it('form (RFC 6749) by default', () => {
    const request = endpointRequest({ url: 'https://idp.test/token', params, client });
    expect(request).toEqual({
      url: 'https://idp.test/token',
      body: 'grant_type=authorization_code&code=c+1&client_id=app+one&client_secret=s3cret',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    });
  });

  it('json: the same parameters as a JSON body', () => {
    const request = endpointRequest({ url: 'https://idp.test/token', params, client, format: 'json' });
    expect(JSON.parse(request.body!)).toEqual({ grant_type: 'authorization_code', code: 'c 1', client_id: 'app one', client_secret: 's3cret' });
    expect(request.headers['content-type']).toBe('application/json');
  });

  it('query: in the URL, after its own query, with no body and no content type; Basic stays a header', () => {
    const request = endpointRequest({ url: 'https://idp.test/token?v=2', params, client: { ...client, method: 'client_secret_basic' }, format: 'query' });
    expect(request.url).toBe('https://idp.test/token?v=2&grant_type=authorization_code&code=c+1');
    expect(request.body).toBeUndefined();
    expect(request.headers).toEqual({ accept: 'application/json', authorization: expect.stringMatching(/^Basic /) });
  });
});

describe('errors answered with 200', () => {
  it('answerSaysOk compares the flag as text, and passes every answer without one', () => {
    expect(answerSaysOk('{"ok":true,"access_token":"a"}', { path: 'ok', value: 'true' })).toBe(true);
    expect(answerSaysOk('{"ok":false,"error":"invalid_code"}', { path: 'ok', value: 'true' })).toBe(false);
    expect(answerSaysOk('{"access_token":"a"}', { path: 'ok', value: 'true' })).toBe(false);
    expect(answerSaysOk('{"error":"x"}', undefined)).toBe(true);
  });

  let server: Server;
  let url = '';
  beforeAll(async () => {
    server = createServer((req, res) => {
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(req.url === '/fails' ? JSON.stringify({ ok: false, error: 'invalid_grant' }) : JSON.stringify({ ok: true, access_token: 'a' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('a 200 whose flag says no is the refusal its error names (permanent for invalid_grant); one that says yes is the answer', async () => {
    const call = { params, client, timeoutMs: 2000, egress: new Egress(new EgressPolicy(true)), okFlag: { path: 'ok', value: 'true' } };
    const failure = await postToEndpoint({ ...call, url: `${url}/fails` }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(TokenEndpointError);
    expect(failure).toMatchObject({ permanent: true, oauthError: 'invalid_grant' });
    expect(JSON.parse(await postToEndpoint({ ...call, url: `${url}/works` }))).toEqual({ ok: true, access_token: 'a' });
  });
});

describe('private_key_jwt: a client assertion made for each request', () => {
  let server: Server;
  let url = '';
  const received: string[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        received.push(JSON.stringify({ body, authorization: req.headers.authorization ?? null }));
        res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'invalid_grant', error_description: `got ${body}` }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/token`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('sends the client id and an assertion for this endpoint, no secret and no Basic header, and keeps the assertion out of errors', async () => {
    const audiences: string[] = [];
    const signer = async (audience: string) => (audiences.push(audience), `signed-for-${audiences.length}`);
    const pkjwt = { clientId: 'app one', clientSecret: '', method: 'private_key_jwt' as const, assertion: signer };
    const call = { url: `${url}?tenant=1`, params, client: pkjwt, timeoutMs: 2000, egress: new Egress(new EgressPolicy(true)) };
    const failure = (await postToEndpoint(call).catch((error: unknown) => error)) as TokenEndpointError;
    await postToEndpoint(call).catch(() => undefined);
    expect(audiences).toEqual([url, url]);
    const { body, authorization } = JSON.parse(received[0]) as { body: string; authorization: string | null };
    expect(Object.fromEntries(new URLSearchParams(body))).toEqual({
      ...params,
      client_id: 'app one',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: 'signed-for-1',
    });
    expect(authorization).toBeNull();
    expect(JSON.parse(received[1]).body).toContain('signed-for-2');
    expect(failure.message).not.toContain('signed-for-1');
  });

  it('a signer out of reach is a transient failure, retried like a network one, and nothing is sent', async () => {
    const before = received.length;
    const down = { clientId: 'app one', clientSecret: '', method: 'private_key_jwt' as const, assertion: () => Promise.reject(new Error('no responders')) };
    const failure = await postToEndpoint({ url, params, client: down, timeoutMs: 2000, egress: new Egress(new EgressPolicy(true)) }).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(TokenEndpointError);
    expect(failure).toMatchObject({ permanent: false });
    expect(received.length).toBe(before);
  });
});
