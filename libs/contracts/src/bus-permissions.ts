import {
  AUDIT_RECORDED,
  EVENT_REPLAY_BY_OWNER,
  EVENT_SUBJECTS,
  eventOwnerOf,
  Events,
  EventsByOwner,
  INTEGRATION_EVENT_SUBJECTS,
  NOTICE_SUBJECTS,
  Subjects,
} from './subjects.js';

/** The four processes that hold a bus credential. */
export const BUS_SERVICES = ['gateway', 'auth-server', 'integrations-registry', 'outbound-token-broker'] as const;
export type BusService = (typeof BUS_SERVICES)[number];

/** What one service may do on the bus; subjects unprefixed, exactly as the code names them. */
export interface BusPermissions {
  /** Request subjects it answers (in its queue group). */
  serves: readonly string[];
  /** Request subjects it sends. */
  calls: readonly string[];
  /** Event subjects it publishes (outbox relay and notifications): exactly its own branch of `EventsByOwner`. */
  publishes: readonly string[];
  /** Event subjects its durable consumer reads (`@EventPattern` handlers; consumer `<service>__<subject>`). */
  consumes: readonly string[];
  /** Event subjects (or wildcards) it follows live through watch consumers named `<service>-watch…`. */
  watches: readonly string[];
  /** Replay caches it shares with its replicas (JetStream key-value buckets, taken with create-only puts). */
  replayCaches: readonly ReplayCacheName[];
}

/**
 * The replay caches on the bus: `client-assertion` (private_key_jwt `jti`s, auth-server), `dpop` (DPoP proof `jti`s
 * seen by the token endpoint, auth-server; and by the gateway's protected routes).
 */
export const REPLAY_CACHES = { clientAssertion: 'client-assertion', dpopTokenEndpoint: 'dpop-token', dpopResource: 'dpop-resource' } as const;
export type ReplayCacheName = (typeof REPLAY_CACHES)[keyof typeof REPLAY_CACHES];

type SubjectTree = { readonly [key: string]: string | SubjectTree };

/** Every subject in a branch of `Subjects`, so a subject added to a service's namespace is that service's to serve. */
export function subjectsIn(tree: SubjectTree): string[] {
  return Object.values(tree).flatMap((value) => (typeof value === 'string' ? [value] : subjectsIn(value)));
}

const SERVED_BY = {
  gateway: subjectsIn(Subjects.gateway),
  'auth-server': subjectsIn(Subjects.auth),
  'integrations-registry': subjectsIn(Subjects.registry),
  'outbound-token-broker': subjectsIn(Subjects.broker),
} as const;

/** The service that answers a request subject (unprefixed), or undefined for one no service serves. */
export function servingService(subject: string): BusService | undefined {
  return (Object.keys(SERVED_BY) as (keyof typeof SERVED_BY)[]).find((service) => (SERVED_BY[service] as readonly string[]).includes(subject));
}

/**
 * Subjects only a service may call, never the HTTP edge: the registry's answer to `credentials.get` holds the
 * secret hashes the auth server checks, `provider.discover` is the registry's step of the P2PI set-up, and
 * `client.change.apply` is the registry's word that an integration change is committed (a forged one from the edge
 * could replay a stale revision).
 */
const SERVICE_ONLY: Record<string, Exclude<BusService, 'gateway'>> = {
  [Subjects.registry.integration.credentials]: 'auth-server',
  [Subjects.broker.provider.discover]: 'integrations-registry',
  [Subjects.auth.client.applyChange]: 'integrations-registry',
  // An assertion signed with the platform's client key acts as this platform at another one: the broker's, for its calls.
  [Subjects.registry.clientKey.sign]: 'outbound-token-broker',
};

/** A service publishes its own events and no one else's: the subject an event arrives on names its publisher. */
const PUBLISHED_BY = {
  'auth-server': subjectsIn(EventsByOwner['auth-server']),
  'integrations-registry': subjectsIn(EventsByOwner['integrations-registry']),
  'outbound-token-broker': subjectsIn(EventsByOwner['outbound-token-broker']),
} as const;

/**
 * A replay answers with the owner's events and the headers they were published with (who caused them): only for the
 * services whose durable consumers read that owner's events (ADR 0038), never the HTTP edge.
 */
const REPLAY_SUBJECTS: readonly string[] = Object.values(EVENT_REPLAY_BY_OWNER);
const replayCalls = (consumes: readonly string[]) => [
  ...new Set(consumes.map((subject) => eventOwnerOf(subject)).flatMap((owner) => (owner ? [EVENT_REPLAY_BY_OWNER[owner]] : []))),
];

const gatewayCalls = (['auth-server', 'integrations-registry', 'outbound-token-broker'] as const)
  .flatMap((service) => SERVED_BY[service])
  .filter((subject) => !(subject in SERVICE_ONLY) && !REPLAY_SUBJECTS.includes(subject));
const serviceOnlyCalls = (service: BusService) =>
  Object.entries(SERVICE_ONLY)
    .filter(([, caller]) => caller === service)
    .map(([subject]) => subject);

/**
 * The bus permission table. `npm run nats:config` turns it into a nats-server configuration, and a test boots every
 * service and fails on a handler, consumer or call the table does not hold. The gateway may call every request
 * subject but the service-only ones: it is the platform's authorization point (every /admin route checks
 * `*:platform=admin` before it calls), and the only sender of the caller address `admin.login` rate-limits on.
 */
const DECLARED: Record<BusService, BusPermissions> = {
  gateway: {
    serves: SERVED_BY.gateway,
    calls: gatewayCalls,
    publishes: [],
    consumes: [],
    // The verifier's deny-list (revocations, bounded by the integrations' revisions) and the console's Activity feed.
    watches: [Events.tokenRevoked, INTEGRATION_EVENT_SUBJECTS, EVENT_SUBJECTS],
    replayCaches: [REPLAY_CACHES.dpopResource],
  },
  'auth-server': {
    serves: SERVED_BY['auth-server'],
    // The gateway's public key, to check the statements of who made a request that audit lines carry.
    calls: [...serviceOnlyCalls('auth-server'), Subjects.gateway.actorKey.get],
    publishes: PUBLISHED_BY['auth-server'],
    consumes: [
      Events.instanceRegistered,
      Events.instanceDeleted,
      // Its own revocations, turned into Shared Signals events for the receivers (ADR 0049).
      Events.tokenRevoked,
      Events.integrationCreated,
      Events.integrationUpdated,
      Events.integrationDeleted,
      // Every service's audit lines: the audit log is kept here.
      ...Object.values(AUDIT_RECORDED),
    ],
    // Integration changes applied live by every replica (its client cache), besides the durable consumer.
    watches: [INTEGRATION_EVENT_SUBJECTS],
    replayCaches: [REPLAY_CACHES.clientAssertion, REPLAY_CACHES.dpopTokenEndpoint],
  },
  'integrations-registry': {
    serves: SERVED_BY['integrations-registry'],
    calls: [
      Subjects.broker.provider.get,
      Subjects.broker.provider.delete,
      Subjects.broker.token.create,
      Subjects.broker.token.authorize,
      Subjects.broker.token.revoke,
      Subjects.broker.token.delete,
      ...serviceOnlyCalls('integrations-registry'),
    ],
    publishes: PUBLISHED_BY['integrations-registry'],
    consumes: [
      Events.outboundTokenAuthorized,
      Events.outboundTokenRefreshed,
      Events.outboundTokenRecovered,
      Events.outboundTokenRefreshFailed,
      Events.outboundTokenRevoked,
    ],
    watches: [],
    replayCaches: [],
  },
  'outbound-token-broker': {
    serves: SERVED_BY['outbound-token-broker'],
    calls: [...serviceOnlyCalls('outbound-token-broker')],
    publishes: PUBLISHED_BY['outbound-token-broker'],
    // Every owner's events, for the webhook endpoints (its own consumer, `outbound-token-broker__tessera_events__`).
    consumes: [Events.instanceRegistered, Events.instanceDeleted, EVENT_SUBJECTS, ...NOTICE_SUBJECTS],
    watches: [],
    replayCaches: [],
  },
};

/** The table as declared, plus each consumer's catch-up calls to the owners of the events it consumes (derived). */
const withReplayCalls = (declared: BusPermissions): BusPermissions => ({
  ...declared,
  calls: [...new Set([...declared.calls, ...replayCalls(declared.consumes)])],
});

export const BUS_PERMISSIONS: Record<BusService, BusPermissions> = {
  gateway: withReplayCalls(DECLARED.gateway),
  'auth-server': withReplayCalls(DECLARED['auth-server']),
  'integrations-registry': withReplayCalls(DECLARED['integrations-registry']),
  'outbound-token-broker': withReplayCalls(DECLARED['outbound-token-broker']),
};
