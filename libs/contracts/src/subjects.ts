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
    admin: { login: 'tessera.auth.admin.login' },
    authorization: {
      prompt: 'tessera.auth.authorization.prompt',
      decide: 'tessera.auth.authorization.decide',
    },
    family: {
      list: 'tessera.auth.family.list',
      revoke: 'tessera.auth.family.revoke',
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
  },
} as const;

export const Events = {
  instanceRegistered: 'tessera.events.instance.registered',
  instanceUpdated: 'tessera.events.instance.updated',
  integrationCreated: 'tessera.events.integration.created',
  integrationUpdated: 'tessera.events.integration.updated',
  integrationDeleted: 'tessera.events.integration.deleted',
  tokenRevoked: 'tessera.events.token.revoked',
  tokenIssued: 'tessera.events.token.issued',
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
