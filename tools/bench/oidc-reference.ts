/**
 * The side-by-side reference: oidc-provider (panva) with one client_credentials client and its default in-memory
 * adapter, in a child process of its own. `opaque` is its default (opaque access token kept in memory); `jwt` makes
 * it sign an ES256 JWT for a resource indicator, the same work our token endpoint does minus the durable write.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export type ReferenceFormat = 'opaque' | 'jwt';

export interface RunningReference {
  pid: number;
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  stop(): Promise<void>;
}

/** The one client every reference knows (client_secret_basic). */
export const CLIENT_ID = 'bench-client';
export const CLIENT_SECRET = 'bench-secret-bench-secret-bench-secret-0123456789';

/** Forks `module` with `args`; it answers over IPC with its base URL (`/token` is its token endpoint) once it listens. */
export function startChildServer(module: string, args: string[], name: string): Promise<RunningReference> {
  return new Promise((resolve, reject) => {
    const child = fork(module, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code}`)));
    child.once('message', (message) => {
      const { url } = message as { url: string };
      resolve({
        pid: child.pid!,
        tokenUrl: `${url}/token`,
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
        stop: () =>
          new Promise((done) => {
            child.removeAllListeners('exit');
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
  });
}

export function startReference(format: ReferenceFormat): Promise<RunningReference> {
  return startChildServer(fileURLToPath(import.meta.url), [format], 'oidc-provider');
}

async function serve(format: ReferenceFormat): Promise<void> {
  const { default: Provider } = await import('oidc-provider');
  const { exportJWK, generateKeyPair } = await import('jose');
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const signingKey = { ...(await exportJWK(privateKey)), kid: 'bench', alg: 'ES256', use: 'sig' };
  const { createServer } = await import('node:http');
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const port = (server.address() as { port: number }).port;
  const issuer = `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        grant_types: ['client_credentials'],
        redirect_uris: [],
        response_types: [],
        token_endpoint_auth_method: 'client_secret_basic',
        id_token_signed_response_alg: 'ES256',
      },
    ],
    jwks: { keys: [signingKey] },
    features: {
      clientCredentials: { enabled: true },
      devInteractions: { enabled: false },
      ...(format === 'jwt'
        ? {
            resourceIndicators: {
              enabled: true,
              defaultResource: () => 'urn:tessera:bench',
              useGrantedResource: () => true,
              getResourceServerInfo: () => ({ scope: 'api:read', accessTokenFormat: 'jwt', accessTokenTTL: 3600, jwt: { sign: { alg: 'ES256' } } }),
            },
          }
        : {}),
    },
  });
  server.on('request', provider.callback());
  process.on('SIGTERM', () => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  });
  process.send!({ url: issuer });
}

if (process.send && process.argv[1] === fileURLToPath(import.meta.url)) {
  await serve((process.argv[2] as ReferenceFormat) ?? 'opaque');
}
