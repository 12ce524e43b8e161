import { createHmac, createPrivateKey, generateKeyPairSync, randomBytes, sign } from 'node:crypto';

/**
 * Standard Webhooks 1.0 signing: `v1` is HMAC-SHA256 of `<webhook-id>.<webhook-timestamp>.<body>` under the secret's
 * bytes (after `whsec_`), `v1a` an Ed25519 signature of the same content; the header lists them space-separated.
 */
const SECRET_PREFIX = 'whsec_';
const PUBLIC_KEY_PREFIX = 'whpk_';

/** A new signing secret: 32 random bytes (the standard asks 24–64), base64 after `whsec_`. */
export function newWebhookSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(32).toString('base64')}`;
}

/** A new Ed25519 key pair: the private key as PKCS#8 DER (base64, to be sealed) and the public one as `whpk_…`. */
export function newSigningKeyPair(): { privateKey: string; publicKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x as string, 'base64url');
  return { privateKey: privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'), publicKey: `${PUBLIC_KEY_PREFIX}${raw.toString('base64')}` };
}

export interface SigningKeys {
  /** `whsec_…` secrets, each giving one `v1` signature (two during a rotation's overlap). */
  secrets: string[];
  /** PKCS#8 DER, base64: one `v1a` signature. */
  ed25519?: string;
}

/** The `webhook-signature` header for one attempt. */
export function webhookSignature(messageId: string, timestamp: number, body: string, keys: SigningKeys): string {
  const content = `${messageId}.${timestamp}.${body}`;
  const v1 = keys.secrets.map(
    (secret) =>
      `v1,${createHmac('sha256', Buffer.from(secret.slice(SECRET_PREFIX.length), 'base64'))
        .update(content)
        .digest('base64')}`,
  );
  const v1a = keys.ed25519
    ? [
        `v1a,${sign(null, Buffer.from(content), createPrivateKey({ key: Buffer.from(keys.ed25519, 'base64'), format: 'der', type: 'pkcs8' })).toString('base64')}`,
      ]
    : [];
  return [...v1, ...v1a].join(' ');
}
