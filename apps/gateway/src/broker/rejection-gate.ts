import type { AccessTokenReply } from '@tessera/contracts';

/** After a refresh that did not cure an upstream 401, further 401s for the token pass back as they are this long. */
export const QUIET_AFTER_FAILED_REFRESH_MS = 30_000;
const MAX_ENTRIES = 10_000;

/**
 * What the proxy does about an upstream 401, per token: at most one refresh at a time (the others wait for it and
 * retry with its result), and none at all for a while once a refresh has not helped — an API that refuses every
 * token (revoked client, wrong audience) must not turn each call into a request to the provider's token endpoint.
 */
export class RejectionGate {
  private readonly inFlight = new Map<string, Promise<AccessTokenReply>>();
  private readonly quietUntil = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now, private readonly quietMs = QUIET_AFTER_FAILED_REFRESH_MS) {}

  /**
   * The token to retry with, or undefined to pass the 401 back. `refresh` asks the broker for a new token (it refreshes
   * only if the rejected one is still current); `current` asks for the token as it is now, without refreshing.
   */
  async afterRejection(name: string, rejected: AccessTokenReply, refresh: () => Promise<AccessTokenReply>, current: () => Promise<AccessTokenReply>): Promise<AccessTokenReply | undefined> {
    const pending = this.inFlight.get(name);
    if (pending) return pending;
    if ((this.quietUntil.get(name) ?? 0) > this.now()) {
      // Another caller may have got a new token since (an admin's refresh, the schedule): that one is worth a try.
      const now = await current();
      return now.access_token === rejected.access_token ? undefined : now;
    }
    const attempt = refresh().finally(() => this.inFlight.delete(name));
    this.inFlight.set(name, attempt);
    return attempt;
  }

  /** The retry with the refreshed token was refused too: hold off refreshing this token for the quiet window. */
  refreshDidNotHelp(name: string): void {
    if (this.quietUntil.size >= MAX_ENTRIES) {
      const now = this.now();
      for (const [key, until] of this.quietUntil) if (until <= now) this.quietUntil.delete(key);
      if (this.quietUntil.size >= MAX_ENTRIES) this.quietUntil.delete(this.quietUntil.keys().next().value!);
    }
    this.quietUntil.set(name, this.now() + this.quietMs);
  }

  /** An upstream accepted the token: the quiet window (if any) is over. */
  accepted(name: string): void {
    this.quietUntil.delete(name);
  }
}
