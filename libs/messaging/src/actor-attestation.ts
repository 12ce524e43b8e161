import { nkeys } from '@nats-io/transport-node';
import type { RequestActor } from '@tessera/observability';
import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';

/** How far a statement's time may lie from the audit line that carries it (a slow admin request, skewed clocks). */
const ATTESTATION_WINDOW_MS = 15 * 60_000;

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
/** DER headers that turn a raw Ed25519 seed or public key into a key node:crypto takes (RFC 8410). */
const PKCS8_ED25519 = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_ED25519 = Buffer.from('302a300506032b6570032100', 'hex');
const NKEY_USER_SEED = /\bSU[A-Z2-7]{56}\b/;

function base32(text: string): Buffer {
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const c of text) {
    value = ((value << 5) | BASE32.indexOf(c)) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

function statement(actor: RequestActor, requestId: string, issuedAtSeconds: number): Buffer {
  return Buffer.from(JSON.stringify(['tessera-actor-v1', actor.type, actor.id, actor.name ?? null, requestId, issuedAtSeconds]));
}

/**
 * The gateway's word that a person is behind a request: its signature, with the nkey of its bus credential (Ed25519),
 * over the actor, the request id and the time. Services pass it on with the request's context and write it into the
 * audit lines they record; the audit log names a person only on a line that carries it (ADR 0027). nkeys.js signs in
 * plain JavaScript (~25 ms); node:crypto takes the same key in ~0.1 ms.
 */
export class ActorAttestor {
  private constructor(
    private readonly key: KeyObject,
    /** The public nkey (`U…`) the signatures verify under: the one the NATS server knows the gateway by. */
    readonly publicKey: string,
  ) {}

  /** From a bus credential file (an nkey seed, or a JWT .creds file holding one); none without a seed. */
  static fromCredential(credential: Uint8Array | undefined): ActorAttestor | undefined {
    const seed = credential && new TextDecoder().decode(credential).match(NKEY_USER_SEED)?.[0];
    if (!seed) return undefined;
    // nkeys checks the seed's type and checksum and derives the public key (once, at start).
    const publicKey = nkeys.fromSeed(new TextEncoder().encode(seed)).getPublicKey();
    const raw = base32(seed).subarray(2, 34);
    return new ActorAttestor(createPrivateKey({ key: Buffer.concat([PKCS8_ED25519, raw]), format: 'der', type: 'pkcs8' }), publicKey);
  }

  attest(actor: RequestActor, requestId: string, nowMs = Date.now()): string {
    const issuedAt = Math.floor(nowMs / 1000);
    return `${issuedAt}.${sign(null, statement(actor, requestId, issuedAt), this.key).toString('base64url')}`;
  }
}

/** Whether `proof` is the gateway's statement (under its public nkey) of this actor, request and time. */
export function verifyActorAttestation(publicKey: string, actor: RequestActor, requestId: string | null, proof: string | undefined, atMs: number): boolean {
  const match = typeof proof === 'string' ? /^(\d{1,12})\.([A-Za-z0-9_-]{86})$/.exec(proof) : null;
  if (!match || !requestId) return false;
  const issuedAt = Number(match[1]);
  if (Math.abs(issuedAt * 1000 - atMs) > ATTESTATION_WINDOW_MS) return false;
  let key: KeyObject;
  try {
    nkeys.fromPublic(publicKey);
    key = createPublicKey({ key: Buffer.concat([SPKI_ED25519, base32(publicKey).subarray(1, 33)]), format: 'der', type: 'spki' });
  } catch {
    return false;
  }
  return verify(null, statement(actor, requestId, issuedAt), key, Buffer.from(match[2], 'base64url'));
}
