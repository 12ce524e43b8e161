/**
 * The bare ceiling: node:http and an ES256 signature per request, nothing else — client_secret_basic checked against
 * one client in memory (constant-time), the form body read, a JWT signed with node:crypto, a JSON answer. No store,
 * no bus, no framework: what one Node process pays for the HTTP exchange and the signature alone.
 */
import { generateKeyPairSync, randomUUID, sign, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { CLIENT_ID, CLIENT_SECRET, startChildServer, type RunningReference } from './oidc-reference.js';

export function startBareCeiling(): Promise<RunningReference> {
  return startChildServer(fileURLToPath(import.meta.url), ['serve'], 'the bare server');
}

async function serve(): Promise<void> {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const expected = Buffer.from(`Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`);
  const header = Buffer.from(JSON.stringify({ alg: 'ES256', typ: 'at+jwt', kid: 'bench' })).toString('base64url');
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const given = Buffer.from(request.headers.authorization ?? '');
      const body = new URLSearchParams(Buffer.concat(chunks).toString());
      if (given.length !== expected.length || !timingSafeEqual(given, expected) || body.get('grant_type') !== 'client_credentials') {
        response.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"invalid_client"}');
        return;
      }
      const now = Math.floor(Date.now() / 1000);
      const claims = {
        iss: issuer,
        sub: CLIENT_ID,
        client_id: CLIENT_ID,
        aud: 'urn:tessera:bench',
        iat: now,
        exp: now + 3600,
        jti: randomUUID(),
        scope: 'api:read',
      };
      const input = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
      const signature = sign('sha256', Buffer.from(input), { key: privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url');
      response
        .writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' })
        .end(JSON.stringify({ access_token: `${input}.${signature}`, token_type: 'Bearer', expires_in: 3600, scope: 'api:read' }));
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const issuer = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  process.on('SIGTERM', () => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  });
  process.send!({ url: issuer });
}

if (process.send && process.argv[1] === fileURLToPath(import.meta.url) && process.argv[2] === 'serve') await serve();
