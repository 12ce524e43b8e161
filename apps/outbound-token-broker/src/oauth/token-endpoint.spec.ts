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
