import { credsAuthenticator, nkeyAuthenticator, type ConnectionOptions } from '@nats-io/transport-node';

/** A secured bus connection: this service's own credential and, optionally, TLS. */
export interface BusSecurity {
  /** The credential file's bytes: an nkey user seed (`npm run nats:config`) or a JWT `.creds` file. */
  credentials?: Uint8Array;
  /** The CA that signed the server's certificate (the client then refuses a link without TLS), and a client certificate. */
  tls?: { caFile: string; certFile?: string; keyFile?: string };
}

const JWT_CREDS = '-----BEGIN NATS USER JWT-----';

/**
 * Connection options for a secured bus. An nkey never leaves the process: the server sends a nonce and the client
 * answers with its signature, so there is no password on the wire to sniff or replay.
 */
export function busAuthentication(security: BusSecurity | undefined): Partial<ConnectionOptions> {
  if (!security) return {};
  const options: Partial<ConnectionOptions> = {};
  if (security.credentials) {
    const text = new TextDecoder().decode(security.credentials);
    options.authenticator = text.includes(JWT_CREDS) ? credsAuthenticator(security.credentials) : nkeyAuthenticator(new TextEncoder().encode(text.trim()));
  }
  if (security.tls) options.tls = { ...security.tls };
  return options;
}
