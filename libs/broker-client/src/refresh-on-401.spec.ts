import type { AccessTokenReply } from '@tessera/contracts';
import { tokenHash } from '@tessera/crypto';
import { describe, expect, it } from 'vitest';
import { sendWithRefreshOn401 } from './refresh-on-401.js';
import { RejectionGate } from './rejection-gate.js';

const token = (access: string): AccessTokenReply => ({
  access_token: access,
  token_type: 'Bearer',
  expires_at: null,
  scope: null,
  base_url: null,
  proxy_limits: {},
});

/** An API that accepts only `good`, and a broker whose refresh gives `next`. */
function world(next: string) {
  const sent: string[] = [];
  const asked: (string | undefined)[] = [];
  let current = 'old';
  return {
    sent,
    asked,
    send: async (t: AccessTokenReply) => (sent.push(t.access_token), { status: t.access_token === 'good' ? 200 : 401 }),
    discard: async () => undefined,
    access: async (hash?: string) => {
      asked.push(hash);
      if (hash === tokenHash(current)) current = next;
      return token(current);
    },
  };
}

describe('the refresh-on-401 rule', () => {
  it('sends once when the API accepts the token, without asking the broker', async () => {
    const w = world('good');
    const result = await sendWithRefreshOn401({ gate: new RejectionGate(), key: 'crm', token: token('good'), ...w });
    expect(result.response.status).toBe(200);
    expect(w.asked).toEqual([]);
  });

  it('on a 401 reports the refused token by its hash and retries once with the refreshed one', async () => {
    const w = world('good');
    const result = await sendWithRefreshOn401({ gate: new RejectionGate(), key: 'crm', token: token('old'), ...w });
    expect(result).toMatchObject({ response: { status: 200 }, token: { access_token: 'good' } });
    expect(w.asked).toEqual([tokenHash('old')]);
    expect(w.sent).toEqual(['old', 'good']);
  });

  it('after a refresh that did not help, asks only for the current token and refreshes nothing for the quiet window', async () => {
    const gate = new RejectionGate();
    const w = world('still-refused');
    expect((await sendWithRefreshOn401({ gate, key: 'crm', token: token('old'), ...w })).response.status).toBe(401);
    expect(w.asked).toEqual([tokenHash('old')]);
    expect((await sendWithRefreshOn401({ gate, key: 'crm', token: token('still-refused'), ...w })).response.status).toBe(401);
    // The second 401 asked for the token as it is (no hash): the broker was not made to refresh again.
    expect(w.asked).toEqual([tokenHash('old'), undefined]);
  });
});
