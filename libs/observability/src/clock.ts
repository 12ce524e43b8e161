import { randomUUID } from 'node:crypto';

/** Time and identifiers come through here so tests can control expiry and schedules. */
export interface Clock {
  now(): Date;
  uuid(): string;
}

export const systemClock: Clock = {
  now: () => new Date(),
  uuid: () => randomUUID(),
};
