/**
 * Every NATS subject Tessera uses, named in one place. Commands and queries read
 * `tessera.<service>.<noun>.<verb>`; events read `tessera.events.<noun>.<past-tense>`.
 * On the wire each subject is preceded by the platform's subject prefix (TESSERA_SUBJECT_PREFIX), if any.
 */
export const Subjects = {
  auth: {
    ping: 'tessera.auth.ping',
    token: {
      issue: 'tessera.auth.token.issue',
      introspect: 'tessera.auth.token.introspect',
      revoke: 'tessera.auth.token.revoke',
    },
    jwks: { get: 'tessera.auth.jwks.get' },
    admin: {
      login: 'tessera.auth.admin.login',
      changePassword: 'tessera.auth.admin.password.change',
      logout: 'tessera.auth.admin.logout',
      /** Named administrators and their roles. */
      user: {
        create: 'tessera.auth.admin.user.create',
        list: 'tessera.auth.admin.user.list',
        get: 'tessera.auth.admin.user.get',
        update: 'tessera.auth.admin.user.update',
        delete: 'tessera.auth.admin.user.delete',
        resetPassword: 'tessera.auth.admin.user.password.reset',
      },
      session: {
        get: 'tessera.auth.admin.session.get',
        renew: 'tessera.auth.admin.session.renew',
      },
    },
    /** The audit log (ADR 0023): auth-server keeps it. */
    audit: { list: 'tessera.auth.audit.list' },
    authorization: {
      prompt: 'tessera.auth.authorization.prompt',
      decide: 'tessera.auth.authorization.decide',
    },
    /**
     * The registry's "this integration change is committed": auth-server applies it (revision barrier, revocation)
     * before the registry answers the admin, so the change is in force when the admin call returns (ADR 0013).
     */
    client: { applyChange: 'tessera.auth.client.change.apply' },
    family: {
      list: 'tessera.auth.family.list',
      revoke: 'tessera.auth.family.revoke',
      /** Every token of an integration: its grants and every access token issued to its client up to now. */
      revokeAll: 'tessera.auth.family.revoke-all',
    },
  },
  registry: {
    ping: 'tessera.registry.ping',
    instance: {
      register: 'tessera.registry.instance.register',
      list: 'tessera.registry.instance.list',
      get: 'tessera.registry.instance.get',
      update: 'tessera.registry.instance.update',
      createIntegration: 'tessera.registry.instance.integration.create',
      connection: 'tessera.registry.instance.connection.get',
      createClientApp: 'tessera.registry.instance.client-app.create',
      authorize: 'tessera.registry.instance.authorize',
      deauthorize: 'tessera.registry.instance.deauthorize',
      delete: 'tessera.registry.instance.delete',
    },
    integration: {
      create: 'tessera.registry.integration.create',
      list: 'tessera.registry.integration.list',
      get: 'tessera.registry.integration.get',
      update: 'tessera.registry.integration.update',
      delete: 'tessera.registry.integration.delete',
      rotateSecret: 'tessera.registry.integration.secret.rotate',
      credentials: 'tessera.registry.integration.credentials.get',
    },
    permission: {
      list: 'tessera.registry.permission.list',
    },
  },
  broker: {
    ping: 'tessera.broker.ping',
    // ── outbound token broker ──────────────────────────────────────────────────────
    provider: {
      create: 'tessera.broker.provider.create',
      import: 'tessera.broker.provider.import',
      discover: 'tessera.broker.provider.discover',
      list: 'tessera.broker.provider.list',
      get: 'tessera.broker.provider.get',
      update: 'tessera.broker.provider.update',
      delete: 'tessera.broker.provider.delete',
      /** Runs the provider's token flow once and reports each step; stores nothing. */
      test: 'tessera.broker.provider.test',
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
  instanceUpdated: 'tessera.events.instance.updated',
  instanceAuthorized: 'tessera.events.instance.authorized',
  instanceDeauthorized: 'tessera.events.instance.deauthorized',
  instanceDeleted: 'tessera.events.instance.deleted',
  integrationCreated: 'tessera.events.integration.created',
  integrationUpdated: 'tessera.events.integration.updated',
  integrationDeleted: 'tessera.events.integration.deleted',
  tokenRevoked: 'tessera.events.token.revoked',
  tokenIssued: 'tessera.events.token.issued',
  // ── outbound token broker: no secrets in any of these ──────────────────────────
  // The subjects the product names (`tessera.events.token.*`). `token.revoked` is shared with the auth server's
  // revocations: an outbound one carries {tokenId, name}, an access-token one {clientId, jti | familyId}
  // (docs/decisions/0006-token-events-namespace.md); verifiers take only the latter.
  outboundTokenRefreshed: 'tessera.events.token.refreshed',
  outboundTokenRefreshFailed: 'tessera.events.token.refresh_failed',
  outboundTokenRecovered: 'tessera.events.token.recovered',
  outboundTokenRevoked: 'tessera.events.token.revoked',
  outboundTokenAuthorized: 'tessera.events.token.authorized',
  /** One admin action or security event, from the service that did it (ADR 0023). */
  auditRecorded: 'tessera.events.audit.recorded',
} as const;

export type EventType = (typeof Events)[keyof typeof Events];

/** Every integration change (created, updated, deleted). */
export const INTEGRATION_EVENT_SUBJECTS = 'tessera.events.integration.>';

/** The one JetStream stream holds every event subject. */
export const EVENT_SUBJECTS = 'tessera.events.>';

/** The services that answer on the bus; the gateway pings each one for readiness. */
export const SERVICES = {
  'auth-server': Subjects.auth.ping,
  'integrations-registry': Subjects.registry.ping,
  'outbound-token-broker': Subjects.broker.ping,
} as const;
export type ServiceName = keyof typeof SERVICES;
