/**
 * Verifier benchmark: TokenVerifier.verify on one core with real ES256 access tokens (RFC 9068 shape, signed with
 * jose), every token distinct, checked against a deny-list holding a few thousand revocations.
 *
 *   npm run bench:verifier [-- --tokens 20000 --rounds 3 --dpop-requests 5000]
 *
 * On Linux the process pins itself to one CPU with taskset, so the figure is one core's (GC helper threads and any
 * thread-pool work could otherwise spill onto a second core). Two figures: every verification of a distinct token (the full signature check), and
 * verifications of tokens seen before (the verified-token cache; the deny-list is still checked on every call).
 */
// @tessera/permissions loads contracts' decorated classes, which need the metadata polyfill any Nest host has.
import 'reflect-metadata';
import { TokenVerifier } from '@tessera/verifier';
import { spawnSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { parseArgs } from 'node:util';
import { machineInfo } from './machine.js';

const TARGET_PER_SECOND = 20_000;

if (process.platform === 'linux' && !process.env.BENCH_PINNED) {
  const pinned = spawnSync('taskset', ['-c', '0', process.execPath, ...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, BENCH_PINNED: '1' },
  });
  if (!pinned.error) process.exit(pinned.status ?? 1);
  console.error(`taskset not available (${pinned.error.message}); running unpinned`);
}

const { values } = parseArgs({
  options: { tokens: { type: 'string', default: '20000' }, rounds: { type: 'string', default: '3' }, 'dpop-requests': { type: 'string', default: '5000' } },
});
const tokenCount = Number(values.tokens);
const rounds = Number(values.rounds);
const issuer = 'https://tessera.bench';

const { privateKey, publicKey } = await generateKeyPair('ES256');
const publicJwk = await exportJWK(publicKey);
const kid = await calculateJwkThumbprint(publicJwk);
const jwks = { keys: [{ ...publicJwk, kid, alg: 'ES256', use: 'sig' }] };

const now = Math.floor(Date.now() / 1000);
const tokens: string[] = [];
for (let i = 0; i < tokenCount; i++) {
  tokens.push(
    await new SignJWT({ client_id: `client-${i % 50}`, scope: '*:orgs=read acme:users=read', jti: randomUUID(), fid: randomUUID() })
      .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid })
      .setIssuer(issuer)
      .setSubject(`client-${i % 50}`)
      .setAudience(issuer)
      .setIssuedAt(now)
      .setExpirationTime(now + 3600)
      .sign(privateKey),
  );
}

function newVerifier(cacheSize: number): TokenVerifier {
  const verifier = new TokenVerifier({ issuer, keys: { load: async () => jwks as never }, cacheSize });
  // A deny-list of realistic size: revocations by jti and by family for tokens other than ours.
  for (let i = 0; i < 5_000; i++)
    verifier.revoked({
      jti: randomUUID(),
      clientId: 'other',
      reason: 'api',
      revokedAt: new Date().toISOString(),
      expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
  return verifier;
}

async function sweep(verifier: TokenVerifier): Promise<number> {
  const started = performance.now();
  for (const token of tokens) await verifier.verify(token, '*:orgs=read');
  return tokens.length / ((performance.now() - started) / 1000);
}

/** Measured rounds after one warm-up round (V8 compiles the hot path during the first); returns their rates. */
async function run(verifier: TokenVerifier, label: string, warmUp: boolean): Promise<number[]> {
  if (warmUp) console.log(`${label.padEnd(44)} warm-up: ${(await sweep(verifier)).toFixed(0).padStart(7)} verifications/s (not counted)`);
  const rates: number[] = [];
  for (let round = 0; round < rounds; round++) {
    rates.push(await sweep(verifier));
    console.log(`${label.padEnd(44)} round ${round + 1}: ${rates[round].toFixed(0).padStart(7)} verifications/s`);
  }
  return rates;
}

const median = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)];

console.log(machineInfo());
console.log(
  `${tokenCount} distinct ES256 tokens, verified one after another (await each), deny-list of 5000 entries, ${rounds} rounds; pinned to one CPU: ${process.env.BENCH_PINNED ? 'yes' : 'no'}`,
);
// The uncached verifier sees every token for the first time in every round: the full signature check each time.
const uncached = newVerifier(0);
const full = median(await run(uncached, 'signature check every call (no cache)', true));
// The cached verifier: round 1 fills the cache, later rounds are repeat presentations of the same tokens. The cache
// holds the whole working set here (a sequential sweep over more tokens than it holds would miss every time: LRU).
const cachedVerifier = newVerifier(tokenCount);
const cached = Math.max(...(await run(cachedVerifier, 'verified-token cache (round 1 fills it)', false)));
// A revoked token must be rejected even though its verification is cached.
cachedVerifier.revoked({
  jti: JSON.parse(Buffer.from(tokens[1].split('.')[1], 'base64url').toString()).jti,
  clientId: 'client-1',
  reason: 'api',
  revokedAt: new Date().toISOString(),
  expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
});
const stillRejected = await cachedVerifier.verify(tokens[1]).then(
  () => false,
  () => true,
);
console.log(`a revoked token whose verification is cached is rejected: ${stillRejected ? 'yes' : 'NO'}`);
console.log(
  `targets: ${full >= TARGET_PER_SECOND ? 'meets' : 'MISSES'} ≥ ${TARGET_PER_SECOND}/s without cache (median of ${rounds} rounds after warm-up: ${full.toFixed(0)}/s) · with cache best ${cached.toFixed(0)}/s`,
);
uncached.close();
cachedVerifier.close();

// DPoP (RFC 9449 §7): the same tokens bound to 50 client keys, each request with a proof of its own (new jti, iat now,
// ath of its token) made by jose. The token's check is cached, as a resource server seeing it again would have it; the
// proof's signature, claims and jti are checked on every call (one replica's memory as the replay cache, a fresh
// verifier per round so the proofs can be presented again).
const DPOP_TARGET_PER_SECOND = 10_000;
const clientKeys = await Promise.all(Array.from({ length: 50 }, () => generateKeyPair('ES256')));
const clientJwks = await Promise.all(clientKeys.map((pair) => exportJWK(pair.publicKey)));
const thumbprints = await Promise.all(clientJwks.map((jwk) => calculateJwkThumbprint(jwk)));
const url = 'https://api.example.com/orgs';
// Proofs are accepted for 60 s after their iat: they are made anew before each round, and a round is kept short enough
// (--dpop-requests) to end within that window even on a machine other work slows down.
const dpopRequests = Math.min(tokenCount, Number(values['dpop-requests']));
const boundTokens: { token: string; ath: string; client: number }[] = [];
for (let i = 0; i < dpopRequests; i++) {
  const c = i % 50;
  const token = await new SignJWT({ client_id: `client-${c}`, scope: '*:orgs=read', jti: randomUUID(), cnf: { jkt: thumbprints[c] } })
    .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid })
    .setIssuer(issuer)
    .setSubject(`client-${c}`)
    .setAudience(issuer)
    .setIssuedAt(now)
    .setExpirationTime(now + 3600)
    .sign(privateKey);
  boundTokens.push({ token, ath: createHash('sha256').update(token).digest('base64url'), client: c });
}
const proofsNow = () =>
  Promise.all(
    boundTokens.map(async ({ token, ath, client }) => ({
      authorization: `DPoP ${token}`,
      dpop: await new SignJWT({ htm: 'GET', htu: url, jti: randomUUID(), ath })
        .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk: clientJwks[client] })
        .setIssuedAt()
        .sign(clientKeys[client].privateKey),
    })),
  );
const dpopRates: number[] = [];
const dpopCpuRates: number[] = [];
for (let round = 0; round <= rounds; round++) {
  const verifier = newVerifier(dpopRequests);
  // Tokens verified once before (the cache a resource server builds); proofs are what is measured.
  for (const { token } of boundTokens) await verifier.verify(token);
  const bound = await proofsNow();
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  for (const request of bound) await verifier.verifyRequest({ ...request, method: 'GET', url }, '*:orgs=read');
  const rate = bound.length / ((performance.now() - started) / 1000);
  const cpu = process.cpuUsage(cpuBefore);
  // Per CPU-second of this process (pinned to one core): what the core does when it is not lent to other work.
  const perCpuSecond = bound.length / ((cpu.user + cpu.system) / 1e6);
  console.log(
    `${'DPoP: proof checked every call, token cached'.padEnd(44)} ${round === 0 ? 'warm-up' : `round ${round}`}: ${rate.toFixed(0).padStart(7)} verifications/s, ${perCpuSecond.toFixed(0)} per CPU-second${round === 0 ? ' (not counted)' : ''}`,
  );
  if (round > 0) {
    dpopRates.push(rate);
    dpopCpuRates.push(perCpuSecond);
  }
  verifier.close();
}
const dpop = median(dpopRates);
const dpopCpu = median(dpopCpuRates);
console.log(
  `targets: DPoP ${dpop >= DPOP_TARGET_PER_SECOND ? 'meets' : 'MISSES'} ≥ ${DPOP_TARGET_PER_SECOND}/s (median of ${rounds} rounds after warm-up: ${dpop.toFixed(0)}/s; per CPU-second of the pinned core ${dpopCpu.toFixed(0)}, ${dpopCpu >= DPOP_TARGET_PER_SECOND ? 'meets' : 'MISSES'})`,
);
if (!stillRejected) process.exit(1);
