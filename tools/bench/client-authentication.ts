/**
 * The client authentications bench:tokens compares with client_secret_basic, each on the platform under test: an
 * integration made for it over HTTP, and what the load generator adds to every request (its signing is the client's
 * work, in the generator's process, not counted).
 */
import { generateKeyPairSync, type JsonWebKey } from 'node:crypto';
import { postJson, type BenchPlatform } from './bench-platform.js';
import { requestSigner, type RequestSigning } from './request-signing.js';

export type ClientAuthentication = 'private_key_jwt' | 'dpop';

interface PreparedClient {
  headers: Record<string, string>;
  signing: RequestSigning;
}

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

function es256Key(): JsonWebKey {
  return generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' });
}

/** One request as the load generator will make it, so a broken set-up fails loudly instead of benchmarking 400s. */
async function request(platform: BenchPlatform, prepared: PreparedClient): Promise<Response> {
  const signer = requestSigner(prepared.signing);
  return fetch(`${platform.url}/oauth/token`, {
    method: 'POST',
    headers: { ...prepared.headers, ...signer.headers() },
    body: signer.body('grant_type=client_credentials'),
  });
}

async function expectIssued(platform: BenchPlatform, prepared: PreparedClient, name: string): Promise<void> {
  const answer = await request(platform, prepared);
  const body = (await answer.json()) as { access_token?: string; token_type?: string };
  if (answer.status !== 200 || !body.access_token) throw new Error(`${name}: the token endpoint answered ${answer.status} ${JSON.stringify(body)}`);
}

export const clientAuthentications: Record<ClientAuthentication, { label: string; prepare(platform: BenchPlatform): Promise<PreparedClient> }> = {
  private_key_jwt: {
    label: 'private_key_jwt',
    // An integration holding only the public key (inline JWKS); each request carries a new assertion.
    async prepare(platform) {
      const privateJwk = es256Key();
      const { d: _private, ...publicJwk } = privateJwk;
      const kid = 'bench-1';
      const { applicationId } = await postJson<{ applicationId: string }>(
        `${platform.url}/admin/integrations`,
        {
          name: 'bench-private-key-jwt',
          permissions: ['*:orgs=read'],
          tokenEndpointAuthMethod: 'private_key_jwt',
          jwks: { keys: [{ ...publicJwk, kid, alg: 'ES256', use: 'sig' }] },
        },
        platform.adminToken,
      );
      const prepared = { headers: FORM, signing: { assertion: { clientId: applicationId, audience: platform.config.issuer, privateJwk, kid } } };
      await expectIssued(platform, prepared, 'private_key_jwt');
      return prepared;
    },
  },
  dpop: {
    label: 'DPoP (client_secret_basic)',
    // The client_secret_basic integration, each request with a new proof carrying the server's nonce (RFC 9449 §8).
    async prepare(platform) {
      const dpop = { privateJwk: es256Key(), htm: 'POST', htu: `${platform.url}/oauth/token` };
      const headers = { ...FORM, authorization: platform.basicAuth };
      const asked = await request(platform, { headers, signing: { dpop } });
      const nonce = asked.headers.get('dpop-nonce');
      await asked.arrayBuffer();
      if (!nonce) throw new Error(`DPoP: the token endpoint gave no nonce (${asked.status})`);
      const prepared = { headers, signing: { dpop: { ...dpop, nonce } } };
      await expectIssued(platform, prepared, 'DPoP');
      return prepared;
    },
  },
};
