/**
 * Every NATS subject Tessera uses, named in one place. Commands and queries read
 * `tessera.<service>.<noun>.<verb>`; events read `tessera.events.<noun>.<past-tense>`.
 * On the wire each subject is preceded by the platform's subject prefix (TESSERA_SUBJECT_PREFIX), if any.
 */
export const Subjects = {
  auth: {
    ping: 'tessera.auth.ping',
    /** The events this service's durable consumers set aside (every service keeps its own). */
    deadLetter: { list: 'tessera.auth.dead-letter.list' },
    /** Its published events again, from its outbox, for a consumer that fell behind the stream's retention. */
    events: { replay: 'tessera.auth.events.replay' },
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
    /** The Shared Signals transmitter (ADR 0049): a receiver's streams, their subjects and their SETs. */
    ssf: {
      stream: {
        create: 'tessera.auth.ssf.stream.create',
        get: 'tessera.auth.ssf.stream.get',
        update: 'tessera.auth.ssf.stream.update',
        delete: 'tessera.auth.ssf.stream.delete',
      },
      status: { get: 'tessera.auth.ssf.status.get', update: 'tessera.auth.ssf.status.update' },
      subject: { add: 'tessera.auth.ssf.subject.add', remove: 'tessera.auth.ssf.subject.remove' },
      verify: 'tessera.auth.ssf.verify',
      poll: 'tessera.auth.ssf.poll',
      /** Every receiver's streams, for administrators (read-only). */
      list: 'tessera.auth.ssf.list',
    },
    family: {
      list: 'tessera.auth.family.list',
      revoke: 'tessera.auth.family.revoke',
      /** Every token of an integration: its grants and every access token issued to its client up to now. */
      revokeAll: 'tessera.auth.family.revoke-all',
    },
  },
  registry: {
    ping: 'tessera.registry.ping',
    deadLetter: { list: 'tessera.registry.dead-letter.list' },
    events: { replay: 'tessera.registry.events.replay' },
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
    /** The keys this platform signs its client assertions with when it calls other platforms (P2PI, private_key_jwt). */
    clientKey: {
      list: 'tessera.registry.client-key.list',
      rotate: 'tessera.registry.client-key.rotate',
      jwks: 'tessera.registry.client-key.jwks',
      sign: 'tessera.registry.client-key.sign',
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
  gateway: {
    /** The public nkey the gateway signs its statements of who made a request with (ADR 0027); only the gateway serves it. */
    actorKey: { get: 'tessera.gateway.actor-key.get' },
  },
  broker: {
    ping: 'tessera.broker.ping',
    deadLetter: { list: 'tessera.broker.dead-letter.list' },
    events: { replay: 'tessera.broker.events.replay' },
    // ── outbound token broker ──────────────────────────────────────────────
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
      /** Moves a provider made from a template to the template's newest version (offered, never applied silently). */
      applyTemplateUpdate: 'tessera.broker.provider.apply-template-update',
      /** A new signing key for private_key_jwt; the previous one stays published until the next rotation. */
      rotateSigningKey: 'tessera.broker.provider.rotate-signing-key',
      /** The public half of its signing keys (a JWK Set): public, served without authentication. */
      jwks: 'tessera.broker.provider.jwks',
    },
    /** The provider catalog: the repository's templates and admins' own (issue 22). */
    catalog: {
      list: 'tessera.broker.catalog.list',
      get: 'tessera.broker.catalog.get',
      save: 'tessera.broker.catalog.save',
      import: 'tessera.broker.catalog.import',
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
    /** Webhook endpoints: the broker delivers every owner's events to them (Standard Webhooks, ADR 0048). */
    webhook: {
      create: 'tessera.broker.webhook.create',
      list: 'tessera.broker.webhook.list',
      get: 'tessera.broker.webhook.get',
      update: 'tessera.broker.webhook.update',
      delete: 'tessera.broker.webhook.delete',
      rotateSecret: 'tessera.broker.webhook.secret.rotate',
      messages: 'tessera.broker.webhook.message.list',
      retry: 'tessera.broker.webhook.message.retry',
      recover: 'tessera.broker.webhook.recover',
      test: 'tessera.broker.webhook.test',
    },
  },
} as const;

/**
 * Every event, by the service that owns it: `tessera.events.<owner>.<noun>.<past-tense>`. Only the owner's bus
 * credential may publish under its branch (the permission table is derived from this tree), so the subject an event
 * arrives on names its publisher, verified by the NATS server (ADR 0027).
 */
export const EventsByOwner = {
  'auth-server': {
    tokenRevoked: 'tessera.events.auth.token.revoked',
    tokenIssued: 'tessera.events.auth.token.issued',
    auditRecorded: 'tessera.events.auth.audit.recorded',
  },
  'integrations-registry': {
    instanceRegistered: 'tessera.events.registry.instance.registered',
    instanceUpdated: 'tessera.events.registry.instance.updated',
    instanceAuthorized: 'tessera.events.registry.instance.authorized',
    instanceDeauthorized: 'tessera.events.registry.instance.deauthorized',
    instanceDeleted: 'tessera.events.registry.instance.deleted',
    integrationCreated: 'tessera.events.registry.integration.created',
    integrationUpdated: 'tessera.events.registry.integration.updated',
    integrationDeleted: 'tessera.events.registry.integration.deleted',
    auditRecorded: 'tessera.events.registry.audit.recorded',
  },
  // The outbound token broker's: no secrets in any of these.
  'outbound-token-broker': {
    outboundTokenRefreshed: 'tessera.events.broker.token.refreshed',
    outboundTokenRefreshFailed: 'tessera.events.broker.token.refresh_failed',
    outboundTokenRecovered: 'tessera.events.broker.token.recovered',
    outboundTokenRevoked: 'tessera.events.broker.token.revoked',
    outboundTokenAuthorized: 'tessera.events.broker.token.authorized',
    webhookDisabled: 'tessera.events.broker.webhook.disabled',
    auditRecorded: 'tessera.events.broker.audit.recorded',
  },
} as const;

export type EventOwner = keyof typeof EventsByOwner;

/** The services that publish events, in the order of `EventsByOwner`. */
export const EVENT_OWNERS = Object.keys(EventsByOwner) as EventOwner[];

/** Each service's own `audit.recorded`: the audit log takes the line's service from the subject, not from the line. */
export const AUDIT_RECORDED: Record<EventOwner, string> = {
  'auth-server': EventsByOwner['auth-server'].auditRecorded,
  'integrations-registry': EventsByOwner['integrations-registry'].auditRecorded,
  'outbound-token-broker': EventsByOwner['outbound-token-broker'].auditRecorded,
};

/** The owner of an event subject (unprefixed), or undefined for one no service owns. */
export function eventOwnerOf(subject: string): EventOwner | undefined {
  return EVENT_OWNERS.find((owner) => Object.values(EventsByOwner[owner]).includes(subject as never));
}

/** Whether a subject is one of the services' `audit.recorded` (the console shows those to owners only). */
export function isAuditEvent(subject: string): boolean {
  return Object.values(AUDIT_RECORDED).includes(subject);
}

/** Every event but the audit lines, by its product name; an audit line's subject is per owner (`AUDIT_RECORDED`). */
export const Events = (() => {
  const { auditRecorded: _auth, ...auth } = EventsByOwner['auth-server'];
  const { auditRecorded: _registry, ...registry } = EventsByOwner['integrations-registry'];
  const { auditRecorded: _broker, ...broker } = EventsByOwner['outbound-token-broker'];
  return { ...auth, ...registry, ...broker };
})();

export type EventType = (typeof Events)[keyof typeof Events] | (typeof AUDIT_RECORDED)[EventOwner];

/** Every integration change (created, updated, deleted). */
export const INTEGRATION_EVENT_SUBJECTS = 'tessera.events.registry.integration.>';

/** Every event subject: what a feed of everything (the console's Activity) follows, across both streams. */
export const EVENT_SUBJECTS = 'tessera.events.>';

/**
 * Notifications: facts published thousands of times a second whose state is durable elsewhere (the grant is in
 * PostgreSQL, ADR 0009). They live in a stream of their own with a short retention; every other event is a change,
 * kept in the change stream for days (ADR 0038).
 */
export const NOTICE_SUBJECTS: readonly string[] = [EventsByOwner['auth-server'].tokenIssued];

/**
 * The change stream's subjects: an owner's whole branch (`tessera.events.registry.>`) when it publishes no notice,
 * else each of its change subjects, since two streams may not share a subject.
 */
export function changeStreamSubjects(): string[] {
  return EVENT_OWNERS.flatMap((owner) => {
    const subjects = Object.values(EventsByOwner[owner]) as string[];
    if (!subjects.some((subject) => NOTICE_SUBJECTS.includes(subject))) return [`tessera.events.${subjects[0].split('.')[2]}.>`];
    return subjects.filter((subject) => !NOTICE_SUBJECTS.includes(subject));
  });
}

/**
 * Changes that must take effect at once: their owner also sends them over plain NATS as it relays them, and the
 * verifiers listen there too, so a revocation is in force even while the stream elects a leader (ADR 0038).
 */
export const IMMEDIATE_EVENTS: readonly string[] = [EventsByOwner['auth-server'].tokenRevoked];

/** Where the owner of an event subject answers with its published events again (from its outbox). */
export const EVENT_REPLAY_BY_OWNER: Record<EventOwner, string> = {
  'auth-server': Subjects.auth.events.replay,
  'integrations-registry': Subjects.registry.events.replay,
  'outbound-token-broker': Subjects.broker.events.replay,
};

/** The services that answer on the bus; the gateway pings each one for readiness. */
export const SERVICES = {
  'auth-server': Subjects.auth.ping,
  'integrations-registry': Subjects.registry.ping,
  'outbound-token-broker': Subjects.broker.ping,
} as const;
export type ServiceName = keyof typeof SERVICES;
