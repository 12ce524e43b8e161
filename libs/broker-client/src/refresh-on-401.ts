import type { AccessTokenReply } from '@tessera/contracts';
import { tokenHash } from '@tessera/crypto';
import type { RejectionGate } from './rejection-gate.js';

export interface RefreshOn401<R extends { status: number }> {
  gate: RejectionGate;
  /** Which token, for the gate: one refresh at a time and one quiet window per key. */
  key: string;
  token: AccessTokenReply;
  /** Sends the call with `token` applied. */
  send: (token: AccessTokenReply) => Promise<R>;
  /** Lets go of a 401 answer that will not be passed on (its body is not read). */
  discard: (response: R) => Promise<void>;
  /** Asks the broker for the token: with a hash, saying that token was refused; without, for the token as it is now. */
  access: (rejectedTokenHash?: string) => Promise<AccessTokenReply>;
}

/**
 * The refresh-on-401 rule of the gateway's proxy and of BrokerClient.fetchWith: send with the current token; on a 401
 * tell the broker which token was refused (by hash, so every caller reporting the same token shares one refresh) and
 * retry once with what it answers — at most one refresh at a time per token, and none for a quiet window after one
 * did not help (RejectionGate). Resolves with the answer to pass on and the token it was sent with.
 */
export async function sendWithRefreshOn401<R extends { status: number }>(call: RefreshOn401<R>): Promise<{ response: R; token: AccessTokenReply }> {
  let token = call.token;
  let response = await call.send(token);
  if (response.status === 401) {
    await call.discard(response);
    const rejected = token;
    const next = await call.gate.afterRejection(
      call.key,
      rejected,
      () => call.access(tokenHash(rejected.access_token)),
      () => call.access(),
    );
    if (next) {
      token = next;
      response = await call.send(token);
      if (response.status === 401) call.gate.refreshDidNotHelp(call.key);
    } else {
      // The 401 already read cannot be passed on: the call is sent again for an answer to pass back.
      response = await call.send(token);
    }
  }
  if (response.status !== 401) call.gate.accepted(call.key, token.access_token);
  return { response, token };
}
