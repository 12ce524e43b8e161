/**
 * Every NATS subject Tessera uses, named in one place. Commands and queries read
 * `tessera.<service>.<noun>.<verb>`; events read `tessera.events.<noun>.<past-tense>`.
 * On the wire each subject is preceded by the platform's subject prefix (TESSERA_SUBJECT_PREFIX), if any.
 */
export const Subjects = {
  auth: {
    ping: 'tessera.auth.ping',
  },
  registry: {
    ping: 'tessera.registry.ping',
    instance: {
      register: 'tessera.registry.instance.register',
      list: 'tessera.registry.instance.list',
      get: 'tessera.registry.instance.get',
    },
  },
  broker: {
    ping: 'tessera.broker.ping',
  },
} as const;

export const Events = {
  instanceRegistered: 'tessera.events.instance.registered',
} as const;

export type EventType = (typeof Events)[keyof typeof Events];

/** The one JetStream stream holds every event subject. */
export const EVENT_SUBJECTS = 'tessera.events.>';

/** The services that answer on the bus; the gateway pings each one for readiness. */
export const SERVICES = {
  'auth-server': Subjects.auth.ping,
  'integrations-registry': Subjects.registry.ping,
  'outbound-token-broker': Subjects.broker.ping,
} as const;
export type ServiceName = keyof typeof SERVICES;
