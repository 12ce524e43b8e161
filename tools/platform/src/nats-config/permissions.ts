import { BUS_PERMISSIONS, BUS_SERVICES, type BusService } from '@tessera/contracts';
import { durableConsumerName, eventStreamName, inboxPrefixFor, replayBucketName, streamOf, streamPlans, streamsHolding } from '@tessera/messaging';

/** One NATS user's permissions, in nats-server's configuration terms. */
export interface NatsUserPermissions {
  publish: { allow: string[]; deny?: string[] };
  subscribe: { allow: string[] };
  allow_responses?: boolean;
}

const API = '$JS.API';

/**
 * A service's NATS permissions, derived from the bus permission table for the platform with this subject prefix.
 * - Requests: publish on the subjects it calls; subscribe on the ones it serves; replies only through
 *   `allow_responses` (to the reply subject of a request it received) and its own inbox prefix.
 * - Events: publish its own event subjects; read them only through JetStream consumers on the platform's streams.
 *   Durable consumers are named exactly. Watch consumers get a generated name, and NATS matches whole tokens only,
 *   so the name is a `*`; the filter (part of the create subject) is still limited to what the table lets it watch,
 *   and the other services' durable consumers are denied by name, so it can neither read nor steal their deliveries.
 *   No right here can keep a consumer from being a push consumer (its deliver subject is in the payload): the stream
 *   lives in an account of its own instead, where a deliver subject reaches no service (ADR 0033, server-config.ts).
 */
export function natsPermissions(service: BusService, subjectPrefix: string): NatsUserPermissions {
  const table = BUS_PERMISSIONS[service];
  const wire = (subject: string) => (subjectPrefix ? `${subjectPrefix}.${subject}` : subject);
  const streams = streamPlans(subjectPrefix).map((plan) => plan.name);
  /** The stream a durable consumer of `subject` reads (the change stream unless it is a notification). */
  const streamFor = (subject: string) => streamOf(subjectPrefix, subject)?.name ?? eventStreamName(subjectPrefix);
  const durable = (subject: string) => durableConsumerName(service, subject);
  const watchStreams = unique(table.watches.flatMap((subject) => streamsHolding(subjectPrefix, subject).map((plan) => plan.name)));

  const publish = [
    ...table.calls.map(wire),
    ...table.publishes.map(wire),
    `${API}.INFO`,
    // Every service makes sure the streams exist with their limits and replicas at start (NatsBus.ensureStream).
    ...streams.flatMap((stream) => [`${API}.STREAM.INFO.${stream}`, `${API}.STREAM.CREATE.${stream}`, `${API}.STREAM.UPDATE.${stream}`]),
    ...table.consumes.flatMap((subject) => [
      `${API}.CONSUMER.CREATE.${streamFor(subject)}.${durable(subject)}.${wire(subject)}`,
      `${API}.CONSUMER.INFO.${streamFor(subject)}.${durable(subject)}`,
      `${API}.CONSUMER.MSG.NEXT.${streamFor(subject)}.${durable(subject)}`,
      `$JS.ACK.${streamFor(subject)}.${durable(subject)}.>`,
    ]),
    ...table.watches.flatMap((subject) => streamsHolding(subjectPrefix, subject).map((plan) => `${API}.CONSUMER.CREATE.${plan.name}.*.${wire(subject)}`)),
    // Replay caches: open (or make) its buckets, put create-only, and read a key back (the KV client's check of why a
    // create failed). Nothing else of JetStream's key-value API.
    ...table.replayCaches.flatMap((name) => {
      const bucket = replayBucketName(subjectPrefix, name);
      return [
        `${API}.STREAM.INFO.KV_${bucket}`,
        `${API}.STREAM.CREATE.KV_${bucket}`,
        `${API}.DIRECT.GET.KV_${bucket}.>`,
        `${API}.DIRECT.GET.KV_${bucket}`,
        `${API}.STREAM.MSG.GET.KV_${bucket}`,
        `$KV.${bucket}.>`,
      ];
    }),
    ...watchStreams.flatMap((stream) => [`${API}.CONSUMER.INFO.${stream}.*`, `${API}.CONSUMER.MSG.NEXT.${stream}.*`, `${API}.CONSUMER.DELETE.${stream}.*`]),
  ];
  const othersDurables = BUS_SERVICES.filter((other) => other !== service).flatMap((other) =>
    BUS_PERMISSIONS[other].consumes.map((subject) => ({ stream: streamFor(subject), name: durableConsumerName(other, subject) })),
  );
  const deny = table.watches.length
    ? othersDurables.flatMap(({ stream, name }) => [
        `${API}.CONSUMER.CREATE.${stream}.${name}.>`,
        `${API}.CONSUMER.INFO.${stream}.${name}`,
        `${API}.CONSUMER.MSG.NEXT.${stream}.${name}`,
        `${API}.CONSUMER.DELETE.${stream}.${name}`,
      ])
    : [];
  return {
    publish: { allow: unique(publish), ...(deny.length ? { deny: unique(deny) } : {}) },
    // What it watches it may also hear as it is published (Bus.listen): no more than it can read from the stream.
    subscribe: { allow: unique([...table.serves.map(wire), ...table.watches.map(wire), `${inboxPrefixFor(service)}.>`]) },
    ...(table.serves.length ? { allow_responses: true } : {}),
  };
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
