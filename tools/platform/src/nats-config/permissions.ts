import { BUS_PERMISSIONS, BUS_SERVICES, type BusService } from '@tessera/contracts';
import { durableConsumerName, eventStreamName, inboxPrefixFor, replayBucketName } from '@tessera/messaging';

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
 * - Events: publish its own event subjects; read them only through JetStream consumers on the platform's stream.
 *   Durable consumers are named exactly. Watch consumers get a generated name, and NATS matches whole tokens only,
 *   so the name is a `*`; the filter (part of the create subject) is still limited to what the table lets it watch,
 *   and the other services' durable consumers are denied by name, so it can neither read nor steal their deliveries.
 */
export function natsPermissions(service: BusService, subjectPrefix: string): NatsUserPermissions {
  const table = BUS_PERMISSIONS[service];
  const wire = (subject: string) => (subjectPrefix ? `${subjectPrefix}.${subject}` : subject);
  const stream = eventStreamName(subjectPrefix);
  const durable = (subject: string) => durableConsumerName(service, subject);

  const publish = [
    ...table.calls.map(wire),
    ...table.publishes.map(wire),
    `${API}.INFO`,
    `${API}.STREAM.INFO.${stream}`,
    // Every service makes sure the stream exists at start (NatsBus.ensureStream).
    `${API}.STREAM.CREATE.${stream}`,
    ...table.consumes.flatMap((subject) => [
      `${API}.CONSUMER.CREATE.${stream}.${durable(subject)}.${wire(subject)}`,
      `${API}.CONSUMER.INFO.${stream}.${durable(subject)}`,
      `${API}.CONSUMER.MSG.NEXT.${stream}.${durable(subject)}`,
      `$JS.ACK.${stream}.${durable(subject)}.>`,
    ]),
    ...table.watches.flatMap((subject) => [`${API}.CONSUMER.CREATE.${stream}.*.${wire(subject)}`]),
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
    ...(table.watches.length ? [`${API}.CONSUMER.INFO.${stream}.*`, `${API}.CONSUMER.MSG.NEXT.${stream}.*`, `${API}.CONSUMER.DELETE.${stream}.*`] : []),
  ];
  const othersDurables = BUS_SERVICES.filter((other) => other !== service).flatMap((other) =>
    BUS_PERMISSIONS[other].consumes.map((subject) => durableConsumerName(other, subject)),
  );
  const deny = table.watches.length
    ? othersDurables.flatMap((name) => [
        `${API}.CONSUMER.CREATE.${stream}.${name}.>`,
        `${API}.CONSUMER.INFO.${stream}.${name}`,
        `${API}.CONSUMER.MSG.NEXT.${stream}.${name}`,
        `${API}.CONSUMER.DELETE.${stream}.${name}`,
      ])
    : [];
  return {
    publish: { allow: unique(publish), ...(deny.length ? { deny: unique(deny) } : {}) },
    subscribe: { allow: unique([...table.serves.map(wire), `${inboxPrefixFor(service)}.>`]) },
    ...(table.serves.length ? { allow_responses: true } : {}),
  };
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
