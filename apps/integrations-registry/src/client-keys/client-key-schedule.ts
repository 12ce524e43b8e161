import type { PlatformClientKeyState } from '@tessera/contracts';

/** What decides a key's part in signing: when it starts, and when (if planned) it leaves the published set. */
export interface ScheduledKey {
  activeFrom: Date;
  retiresAt: Date | null;
}

const published = (key: ScheduledKey, now: Date) => !key.retiresAt || key.retiresAt > now;

/** The key that signs now: the latest one (keys come latest first) whose time has come and that is still published. */
export function signingKey<K extends ScheduledKey>(keys: K[], now: Date): K {
  const key = keys.find((candidate) => candidate.activeFrom <= now && published(candidate, now));
  if (!key) throw new Error('no platform client key is active');
  return key;
}

/** The published keys, each with its state: next (published, not signing yet), current (signs), previous (retiring). */
export function publishedKeys<K extends ScheduledKey>(keys: K[], now: Date): { key: K; state: PlatformClientKeyState }[] {
  const current = keys.some((key) => key.activeFrom <= now && published(key, now)) ? signingKey(keys, now) : undefined;
  return keys.filter((key) => published(key, now)).map((key) => ({ key, state: key === current ? 'current' : key.activeFrom > now ? 'next' : 'previous' }));
}
