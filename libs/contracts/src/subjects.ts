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
    // ── outbound token broker (issue 4) ──────────────────────────────────────────────
    provider: {
      create: 'tessera.broker.provider.create',
      import: 'tessera.broker.provider.import',
      list: 'tessera.broker.provider.list',
      get: 'tessera.broker.provider.get',
      update: 'tessera.broker.provider.update',
      delete: 'tessera.broker.provider.delete',
    },
    token: {
      create: 'tessera.broker.token.create',
      list: 'tessera.broker.token.list',
      get: 'tessera.broker.token.get',
      update: 'tessera.broker.token.update',
      delete: 'tessera.broker.token.delete',
      authorize: 'tessera.broker.token.authorize',
      callback: 'tessera.broker.token.callback',
      refresh: 'tessera.broker.token.refresh',
      revoke: 'tessera.broker.token.revoke',
      /** A fresh access token by name, for services (and GET /tokens/:name, the proxy, libs/broker-client). */
      access: 'tessera.broker.token.access',
    },
  },
} as const;

export const Events = {
  instanceRegistered: 'tessera.events.instance.registered',
  // ── outbound token broker (issue 4): no secrets in any of these ──────────────────
  // `outbound-token`, not `token`: tessera.events.token.revoked is the auth server's revocation of its own access
  // tokens, which verifiers turn into deny-list entries (docs/decisions/0006-outbound-token-events.md).
  outboundTokenRefreshed: 'tessera.events.outbound-token.refreshed',
  outboundTokenRefreshFailed: 'tessera.events.outbound-token.refresh_failed',
  outboundTokenRecovered: 'tessera.events.outbound-token.recovered',
  outboundTokenRevoked: 'tessera.events.outbound-token.revoked',
  outboundTokenAuthorized: 'tessera.events.outbound-token.authorized',
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
