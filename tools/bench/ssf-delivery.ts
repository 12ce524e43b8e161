/**
 * Shared Signals delivery latency: how long after `POST /oauth/revoke` returns does an SSF receiver hold the CAEP
 * session-revoked SET — by long poll (RFC 8936) and by push (RFC 8935) — on the real platform (ADR 0049)?
 *
 *   npm run bench:ssf [-- --count 100]
 *
 * One receiver integration with a poll stream and a push stream (to an HTTP server in this process), both naming the
 * bench integration as their subject. Per round: issue a token, revoke it, and time until the SET about its jti
 * arrives on each path. The poller acknowledges what it got and long-polls again at once, as a receiver would.
 */
import { decodeJwt } from 'jose';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { postJson, startBenchPlatform } from './bench-platform.js';
import { machineInfo, percentile } from './machine.js';

const TARGET_P99_MS = 2_000;

type Arrivals = Map<string, number>;

/** The jti of the access token a session-revoked SET names, if it is one. */
function revokedJti(set: string): string | undefined {
  const claims = decodeJwt(set) as { sub_id?: { format?: string; jti?: string } };
  return claims.sub_id?.format === 'jwt_id' ? claims.sub_id.jti : undefined;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { count: { type: 'string', default: '100' } } });
  const count = Number(values.count);
  console.log(machineInfo());
  const pushed: Arrivals = new Map();
  const pushServer = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      const jti = revokedJti(body);
      if (jti) pushed.set(jti, performance.now());
      response.statusCode = 202;
      response.end();
    });
  });
  await new Promise<void>((resolve) => pushServer.listen(0, '127.0.0.1', resolve));
  const pushPort = (pushServer.address() as AddressInfo).port;
  const platform = await startBenchPlatform('in-process', 'shared', { env: { TESSERA_EGRESS_ALLOW: `127.0.0.1:${pushPort}` } });
  let polling = true;
  try {
    const receiver = await postJson<{ applicationId: string; appSecret: string }>(
      `${platform.url}/admin/integrations`,
      { name: 'bench-ssf-receiver', permissions: ['*:ssf=receive'] },
      platform.adminToken,
    );
    const tokenResponse = await fetch(`${platform.url}/oauth/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${receiver.applicationId}:${receiver.appSecret}`).toString('base64')}`,
      },
      body: 'grant_type=client_credentials',
    });
    const receiverToken = ((await tokenResponse.json()) as { access_token: string }).access_token;
    const subject = { format: 'opaque', id: platform.applicationId };
    const stream = async (delivery: object) => {
      const created = await postJson<{ stream_id: string }>(
        `${platform.url}/ssf/streams`,
        { delivery, events_requested: ['https://schemas.openid.net/secevent/caep/event-type/session-revoked'] },
        receiverToken,
      );
      await postJson(`${platform.url}/ssf/subjects/add`, { stream_id: created.stream_id, subject }, receiverToken);
      return created.stream_id;
    };
    const pollStream = await stream({ method: 'urn:ietf:rfc:8936' });
    await stream({ method: 'urn:ietf:rfc:8935', endpoint_url: `http://127.0.0.1:${pushPort}/events` });

    const polled: Arrivals = new Map();
    const poller = (async () => {
      let ack: string[] = [];
      while (polling) {
        const answer = await postJson<{ sets: Record<string, string> }>(`${platform.url}/ssf/poll/${pollStream}`, { ack }, receiverToken);
        const now = performance.now();
        ack = Object.keys(answer.sets);
        for (const set of Object.values(answer.sets)) {
          const jti = revokedJti(set);
          if (jti) polled.set(jti, now);
        }
      }
    })();

    const wait = async (arrivals: Arrivals, jti: string) => {
      const deadline = performance.now() + 10_000;
      while (!arrivals.has(jti)) {
        if (performance.now() > deadline) throw new Error(`no SET for ${jti} within 10 s`);
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
      return arrivals.get(jti)!;
    };
    const pollLatencies: number[] = [];
    const pushLatencies: number[] = [];
    for (let i = 0; i < count; i++) {
      const oauth = (path: string, body: Record<string, string>) =>
        fetch(`${platform.url}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: platform.basicAuth },
          body: new URLSearchParams(body).toString(),
        });
      const { access_token: token } = (await (await oauth('/oauth/token', { grant_type: 'client_credentials' })).json()) as { access_token: string };
      const jti = decodeJwt(token).jti!;
      const revoked = await oauth('/oauth/revoke', { token, token_type_hint: 'access_token' });
      const returnedAt = performance.now();
      if (revoked.status !== 200) throw new Error(`revoke answered ${revoked.status}`);
      pollLatencies.push(Math.max(0, (await wait(polled, jti)) - returnedAt));
      pushLatencies.push(Math.max(0, (await wait(pushed, jti)) - returnedAt));
    }
    polling = false;
    for (const [name, latencies] of [
      ['long poll', pollLatencies],
      ['push', pushLatencies],
    ] as const) {
      latencies.sort((a, b) => a - b);
      console.log(
        `revocation → SET at the receiver by ${name}, ${count} revocations: p50 ${percentile(latencies, 50).toFixed(1)} ms · p90 ${percentile(latencies, 90).toFixed(1)} ms · p99 ${percentile(latencies, 99).toFixed(1)} ms · max ${latencies[latencies.length - 1].toFixed(1)} ms`,
      );
      console.log(`target (${name}): ${percentile(latencies, 99) < TARGET_P99_MS ? 'meets' : 'MISSES'} p99 < ${TARGET_P99_MS} ms`);
    }
    // The poller's last long poll ends within its hold time.
    await Promise.race([poller, new Promise((resolve) => setTimeout(resolve, 11_000))]);
  } finally {
    polling = false;
    await platform.stop();
    await new Promise((resolve) => pushServer.close(resolve));
  }
}

await main().then(() => process.exit(0));
