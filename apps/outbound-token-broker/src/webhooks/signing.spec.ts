import { createPublicKey, verify } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { newSigningKeyPair, newWebhookSecret, webhookSignature } from './signing.js';

describe('Standard Webhooks signatures', () => {
  const body = JSON.stringify({ id: '7d6f…', type: 'tessera.events.auth.token.revoked', data: { jti: 'x' } });
  const timestamp = Math.floor(Date.now() / 1000);

  it('a v1 signature verifies with the standardwebhooks package', () => {
    const secret = newWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const signature = webhookSignature('msg_1', timestamp, body, { secrets: [secret] });
    expect(signature).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    const headers = { 'webhook-id': 'msg_1', 'webhook-timestamp': String(timestamp), 'webhook-signature': signature };
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
    expect(() => new Webhook(newWebhookSecret()).verify(body, headers)).toThrow();
    expect(() => new Webhook(secret).verify(`${body} `, headers)).toThrow();
  });

  it('during a rotation both secrets sign, so a receiver holding either verifies', () => {
    const [old, next] = [newWebhookSecret(), newWebhookSecret()];
    const signature = webhookSignature('msg_2', timestamp, body, { secrets: [next, old] });
    expect(signature.split(' ')).toHaveLength(2);
    const headers = { 'webhook-id': 'msg_2', 'webhook-timestamp': String(timestamp), 'webhook-signature': signature };
    expect(new Webhook(old).verify(body, headers)).toBeTruthy();
    expect(new Webhook(next).verify(body, headers)).toBeTruthy();
  });

  it('a v1a signature verifies with the whpk_ public key', () => {
    const keys = newSigningKeyPair();
    const signature = webhookSignature('msg_3', timestamp, body, { secrets: [newWebhookSecret()], ed25519: keys.privateKey });
    const v1a = signature
      .split(' ')
      .find((s) => s.startsWith('v1a,'))!
      .slice(4);
    const raw = Buffer.from(keys.publicKey.slice('whpk_'.length), 'base64');
    const publicKey = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') }, format: 'jwk' });
    expect(verify(null, Buffer.from(`msg_3.${timestamp}.${body}`), publicKey, Buffer.from(v1a, 'base64'))).toBe(true);
  });
});
