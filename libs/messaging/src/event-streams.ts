import { DiscardPolicy, RetentionPolicy, StorageType, type JetStreamManager, type StreamConfig } from '@nats-io/jetstream';
import { changeStreamSubjects, NOTICE_SUBJECTS } from '@tessera/contracts';
import { subjectMatches } from './bus.js';

const NANOS_PER_MS = 1_000_000;
const HOUR_MS = 3_600_000;
const MIB = 1024 * 1024;

/** How long and how much one stream keeps before it discards its oldest events. */
export interface StreamLimits {
  maxAgeMs: number;
  maxBytes: number;
}

/**
 * Retention of the platform's two streams, and their replication (ADR 0038). `replicas` undefined: 1 on a single
 * server, 3 on a cluster of three or more (read from the server's INFO when connecting).
 */
export interface EventStreamSettings {
  changes: StreamLimits;
  notices: StreamLimits;
  replicas?: number;
}

/**
 * Defaults a small deployment's disk survives: a week of changes in at most 1 GiB (the verifier replays a day of
 * revocations at start, so never less than a day), an hour of token notifications in at most 256 MiB.
 */
export const DEFAULT_STREAM_SETTINGS: EventStreamSettings = {
  changes: { maxAgeMs: 168 * HOUR_MS, maxBytes: 1024 * MIB },
  notices: { maxAgeMs: HOUR_MS, maxBytes: 256 * MIB },
};

/** The change stream: one per subject prefix. */
export function eventStreamName(subjectPrefix: string): string {
  return `TESSERA_EVENTS${suffix(subjectPrefix)}`;
}

/** The notifications' stream (token.issued): one per subject prefix. */
export function noticeStreamName(subjectPrefix: string): string {
  return `TESSERA_NOTICES${suffix(subjectPrefix)}`;
}

function suffix(subjectPrefix: string): string {
  return subjectPrefix ? `_${subjectPrefix.replace(/[^A-Za-z0-9_-]/g, '_')}` : '';
}

/** A stream's name and its unprefixed subjects. */
export interface StreamPlan {
  name: string;
  subjects: string[];
  kind: 'changes' | 'notices';
}

export function streamPlans(subjectPrefix: string): StreamPlan[] {
  return [
    { name: eventStreamName(subjectPrefix), subjects: changeStreamSubjects(), kind: 'changes' },
    { name: noticeStreamName(subjectPrefix), subjects: [...NOTICE_SUBJECTS], kind: 'notices' },
  ];
}

/** Whether two subjects (either may hold wildcards) can name a common subject. */
function overlaps(a: string, b: string): boolean {
  return subjectMatches(a, b) || subjectMatches(b, a);
}

/** The streams that hold events on `subject` (a filter, wildcards allowed): `tessera.events.>` is in both. */
export function streamsHolding(subjectPrefix: string, subject: string): StreamPlan[] {
  return streamPlans(subjectPrefix).filter((plan) => plan.subjects.some((s) => overlaps(subject, s)));
}

/** The stream a published subject is stored in (undefined: none, NATS refuses the publish). */
export function streamOf(subjectPrefix: string, subject: string): StreamPlan | undefined {
  return streamPlans(subjectPrefix).find((plan) => plan.subjects.some((s) => subjectMatches(s, subject)));
}

/** Replicas by default: 3 on a cluster of three or more servers (as the server's INFO lists them), else 1. */
export function defaultReplicas(info: { cluster?: string; connect_urls?: string[] } | undefined): number {
  return info?.cluster && (info.connect_urls?.length ?? 0) >= 3 ? 3 : 1;
}

/**
 * Makes each stream exist with the subjects, limits and replicas asked for, updating one made before (an older
 * stream holding `tessera.events.>` with no limits gives up the notices' subject first, so the notices' stream can
 * take it). Safe from every service at every start: a concurrent create or update of the same config is harmless.
 */
export async function ensureStreams(
  jsm: JetStreamManager,
  subjectPrefix: string,
  settings: EventStreamSettings,
  replicas: number,
  wire: (subject: string) => string,
): Promise<void> {
  for (const plan of streamPlans(subjectPrefix)) {
    const limits = settings[plan.kind];
    const wanted: Partial<StreamConfig> = {
      subjects: plan.subjects.map(wire),
      max_age: limits.maxAgeMs * NANOS_PER_MS,
      max_bytes: limits.maxBytes,
      num_replicas: replicas,
      discard: DiscardPolicy.Old,
      // The outbox's retries are de-duplicated within this window; it may not outlast the stream's own age.
      duplicate_window: Math.min(2 * 60_000, limits.maxAgeMs) * NANOS_PER_MS,
    };
    const existing = await jsm.streams.info(plan.name).catch(() => undefined);
    if (!existing) {
      await jsm.streams.add({ name: plan.name, retention: RetentionPolicy.Limits, storage: StorageType.File, ...wanted }).catch(async (error) => {
        if (!/already in use|exists/i.test(String((error as Error).message))) throw error;
      });
      continue;
    }
    const config = existing.config;
    const same =
      JSON.stringify([...config.subjects].sort()) === JSON.stringify([...wanted.subjects!].sort()) &&
      config.max_age === wanted.max_age &&
      config.max_bytes === wanted.max_bytes &&
      config.num_replicas === wanted.num_replicas &&
      config.duplicate_window === wanted.duplicate_window;
    if (!same) await jsm.streams.update(plan.name, { ...config, ...wanted });
  }
}
