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
  /** Per token, the refresh to share and, once it has answered, the access token it gave. */
  private readonly inFlight = new Map<string, { attempt: Promise<AccessTokenReply>; token?: string }>();
  private readonly quietUntil = new Map<string, number>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly quietMs = QUIET_AFTER_FAILED_REFRESH_MS,
  ) {}

  /**
   * The token to retry with, or undefined to pass the 401 back. `refresh` asks the broker for a new token (it refreshes
   * only if the rejected one is still current); `current` asks for the token as it is now, without refreshing.
   */
  async afterRejection(
    name: string,
    rejected: AccessTokenReply,
    refresh: () => Promise<AccessTokenReply>,
    current: () => Promise<AccessTokenReply>,
  ): Promise<AccessTokenReply | undefined> {
    const pending = this.inFlight.get(name);
    if (pending) return pending.attempt;
    if ((this.quietUntil.get(name) ?? 0) > this.now()) {
      // Another caller may have got a new token since (an admin's refresh, the schedule): that one is worth a try.
      const now = await current();
      return now.access_token === rejected.access_token ? undefined : now;
    }
    // The refresh stays shared until its retry is judged: accepted, refused too (`refreshDidNotHelp`), or the quiet
    // window passes. A 401 that arrives after the refresh answered but before its retry did would otherwise start a
    // second one.
    const entry: { attempt: Promise<AccessTokenReply>; token?: string } = { attempt: refresh() };
    this.inFlight.set(name, entry);
    const forget = () => {
      if (this.inFlight.get(name) === entry) this.inFlight.delete(name);
    };
    entry.attempt.then((reply) => (entry.token = reply.access_token), forget);
    // A retry that never reports (its upstream call threw) does not pin the refresh for ever.
    setTimeout(forget, this.quietMs).unref?.();
    return entry.attempt;
  }

  /** The retry with the refreshed token was refused too: hold off refreshing this token for the quiet window. */
  refreshDidNotHelp(name: string): void {
    if (this.quietUntil.size >= MAX_ENTRIES) {
      const now = this.now();
      for (const [key, until] of this.quietUntil) if (until <= now) this.quietUntil.delete(key);
      if (this.quietUntil.size >= MAX_ENTRIES) this.quietUntil.delete(this.quietUntil.keys().next().value!);
    }
    this.quietUntil.set(name, this.now() + this.quietMs);
    this.inFlight.delete(name);
  }

  /** An upstream accepted `accessToken`: the quiet window (if any) is over, and a refresh that gave it is judged. */
  accepted(name: string, accessToken: string): void {
    this.quietUntil.delete(name);
    if (this.inFlight.get(name)?.token === accessToken) this.inFlight.delete(name);
  }
}
