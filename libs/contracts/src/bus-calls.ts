import type {
  AdminLoginCommand,
  AdminLogoutRequest,
  AuthorizationDecision,
  AuthorizationPrompt,
  AuthorizationRedirect,
  AuthorizationRequest,
  ChangeAdminPasswordCommand,
  FamilyPage,
  IntrospectionRequest,
  IntrospectionResponse,
  JsonWebKeySet,
  ListFamiliesRequest,
  RevokeAllFamiliesRequest,
  RevokeFamilyRequest,
  TokenRequest,
  TokenResponse,
} from './auth.js';
import type {
  AccessTokenReply,
  AccessTokenRequest,
  AuthorizationCallbackReply,
  AuthorizationCallbackRequest,
  AuthorizeTokenReply,
  CreateTokenCommand,
  ListTokensRequest,
  OutboundTokenPage,
  OutboundTokenView,
  TokenIdRequest,
  UpdateTokenRequest,
} from './broker/tokens.js';
import type {
  CreateProviderRequest,
  DiscoverProviderRequest,
  ImportProvidersRequest,
  ListRequest,
  ProviderIdRequest,
  ProviderPage,
  ProviderTestReply,
  ProviderView,
  TestProviderRequest,
  UpdateProviderRequest,
} from './broker/providers.js';
import type { ProviderJwks } from './broker/signing-keys.js';
import {
  ApplyTemplateUpdateRequest,
  CatalogEntry,
  CatalogIdRequest,
  CatalogList,
  CatalogQuery,
  ImportTemplatesReply,
  ImportTemplatesRequest,
  SaveTemplateRequest,
} from './broker/catalog.js';
import type {
  AdminSessionRequest,
  AdminSessionView,
  AdminUserIdRequest,
  AdminUserList,
  AdminUserView,
  AdminUserWithPassword,
  CreateAdminUserCommand,
  ResetAdminPasswordCommand,
  UpdateAdminUserRequest,
} from './admin-users.js';
import type { AuditPage, GatewayActorKey, ListAuditQuery } from './audit.js';
import type { DeadLetterPage, ListDeadLettersQuery } from './dead-letters.js';
import type { ReplayedEventPage, ReplayEventsQuery } from './event-replay.js';
import type { EventEnvelope, PingReply } from './envelope.js';
import type { ClientAssertionReply, PlatformClientKeyList, RotateClientKeyRequest, SignClientAssertionRequest } from './platform-client-keys.js';
import type {
  CreateClientAppCommand,
  CreateInstanceIntegrationCommand,
  FindInstanceRequest,
  GetInstanceRequest,
  InstanceConnection,
  InstanceDeletedReply,
  ListInstancesRequest,
  PlatformInstancePage,
  PlatformInstanceView,
  RegisterInstanceRequest,
  UpdateInstanceCommand,
} from './instances.js';
import type {
  ClientCredentialsRequest,
  CreateIntegrationCommand,
  IntegrationIdRequest,
  ListIntegrationsRequest,
  RotateSecretCommand,
  UpdateIntegrationCommand,
} from './integrations.js';
import type {
  ClientCredentialsRecord,
  IntegrationChangedEvent,
  IntegrationPage,
  IntegrationView,
  IntegrationWithSecret,
  PermissionList,
} from './integration-views.js';
import type {
  CreateSsfStreamCommand,
  GetSsfStreamCommand,
  ListSsfStreamsQuery,
  SsfPollCommand,
  SsfPollResponse,
  SsfStreamAdminPage,
  SsfStreamCommand,
  SsfStreamConfiguration,
  SsfStreamStatus,
  SsfSubjectCommand,
  SsfVerificationCommand,
  UpdateSsfStatusCommand,
  UpdateSsfStreamCommand,
} from './ssf.js';
import type {
  CreateWebhookRequest,
  ListWebhookMessagesRequest,
  ListWebhooksRequest,
  RecoverWebhookRequest,
  RotateWebhookSecretRequest,
  UpdateWebhookRequest,
  WebhookIdRequest,
  WebhookMessagePage,
  WebhookMessageRequest,
  WebhookMessageView,
  WebhookPage,
  WebhookRecoverReply,
  WebhookView,
  WebhookWithSecret,
} from './broker/webhooks.js';
import { Subjects } from './subjects.js';

/** What a request on one subject carries and what it answers. */
interface Call<Request, Reply> {
  request: Request;
  reply: Reply;
}

/** A message with nothing in it (pings, lists of everything). */
type Nothing = Record<string, never>;

/**
 * Every request/reply subject with its payload class and its reply, so `BusClient.call(subject, payload)` is checked
 * on both sides: a caller cannot send the wrong message, and reads the reply as the type the handler returns.
 */
export interface BusCalls {
  [Subjects.auth.ping]: Call<Nothing, PingReply>;
  [Subjects.auth.token.issue]: Call<TokenRequest, TokenResponse>;
  [Subjects.auth.token.introspect]: Call<IntrospectionRequest, IntrospectionResponse>;
  [Subjects.auth.token.revoke]: Call<IntrospectionRequest, Nothing>;
  [Subjects.auth.jwks.get]: Call<Nothing, JsonWebKeySet>;
  [Subjects.auth.admin.login]: Call<AdminLoginCommand, TokenResponse>;
  [Subjects.auth.admin.changePassword]: Call<ChangeAdminPasswordCommand, { changed: true }>;
  [Subjects.auth.admin.logout]: Call<AdminLogoutRequest, { revoked: true }>;
  [Subjects.auth.authorization.prompt]: Call<AuthorizationRequest, AuthorizationPrompt>;
  [Subjects.auth.authorization.decide]: Call<AuthorizationDecision, AuthorizationRedirect>;
  [Subjects.auth.client.applyChange]: Call<EventEnvelope<IntegrationChangedEvent>, { applied: true }>;
  [Subjects.auth.family.list]: Call<ListFamiliesRequest, FamilyPage>;
  [Subjects.auth.family.revoke]: Call<RevokeFamilyRequest, { revoked: true }>;
  [Subjects.auth.family.revokeAll]: Call<RevokeAllFamiliesRequest, { revoked: true }>;
  [Subjects.auth.ssf.stream.create]: Call<CreateSsfStreamCommand, SsfStreamConfiguration>;
  [Subjects.auth.ssf.stream.get]: Call<GetSsfStreamCommand, SsfStreamConfiguration | SsfStreamConfiguration[]>;
  [Subjects.auth.ssf.stream.update]: Call<UpdateSsfStreamCommand, SsfStreamConfiguration>;
  [Subjects.auth.ssf.stream.delete]: Call<SsfStreamCommand, Nothing>;
  [Subjects.auth.ssf.status.get]: Call<SsfStreamCommand, SsfStreamStatus>;
  [Subjects.auth.ssf.status.update]: Call<UpdateSsfStatusCommand, SsfStreamStatus>;
  [Subjects.auth.ssf.subject.add]: Call<SsfSubjectCommand, Nothing>;
  [Subjects.auth.ssf.subject.remove]: Call<SsfSubjectCommand, Nothing>;
  [Subjects.auth.ssf.verify]: Call<SsfVerificationCommand, Nothing>;
  [Subjects.auth.ssf.poll]: Call<SsfPollCommand, SsfPollResponse>;
  [Subjects.auth.ssf.list]: Call<ListSsfStreamsQuery, SsfStreamAdminPage>;
  [Subjects.auth.admin.user.create]: Call<CreateAdminUserCommand, AdminUserWithPassword>;
  [Subjects.auth.admin.user.list]: Call<Nothing, AdminUserList>;
  [Subjects.auth.admin.user.get]: Call<AdminUserIdRequest, AdminUserView>;
  [Subjects.auth.admin.user.update]: Call<UpdateAdminUserRequest, AdminUserView>;
  [Subjects.auth.admin.user.delete]: Call<AdminUserIdRequest, { deleted: true }>;
  [Subjects.auth.admin.user.resetPassword]: Call<ResetAdminPasswordCommand, AdminUserWithPassword>;
  [Subjects.auth.admin.session.get]: Call<AdminSessionRequest, AdminSessionView>;
  [Subjects.auth.admin.session.renew]: Call<AdminSessionRequest, TokenResponse>;
  [Subjects.auth.audit.list]: Call<ListAuditQuery, AuditPage>;
  [Subjects.auth.deadLetter.list]: Call<ListDeadLettersQuery, DeadLetterPage>;
  [Subjects.registry.deadLetter.list]: Call<ListDeadLettersQuery, DeadLetterPage>;
  [Subjects.broker.deadLetter.list]: Call<ListDeadLettersQuery, DeadLetterPage>;
  [Subjects.auth.events.replay]: Call<ReplayEventsQuery, ReplayedEventPage>;
  [Subjects.registry.events.replay]: Call<ReplayEventsQuery, ReplayedEventPage>;
  [Subjects.broker.events.replay]: Call<ReplayEventsQuery, ReplayedEventPage>;

  [Subjects.registry.ping]: Call<Nothing, PingReply>;
  [Subjects.registry.instance.register]: Call<RegisterInstanceRequest, PlatformInstanceView>;
  [Subjects.registry.instance.list]: Call<ListInstancesRequest, PlatformInstancePage>;
  [Subjects.registry.instance.get]: Call<GetInstanceRequest, PlatformInstanceView>;
  [Subjects.registry.instance.update]: Call<UpdateInstanceCommand, PlatformInstanceView>;
  [Subjects.registry.instance.createIntegration]: Call<CreateInstanceIntegrationCommand, IntegrationWithSecret>;
  [Subjects.registry.instance.connection]: Call<FindInstanceRequest, InstanceConnection>;
  [Subjects.registry.instance.createClientApp]: Call<CreateClientAppCommand, ProviderView>;
  [Subjects.registry.instance.authorize]: Call<GetInstanceRequest, AuthorizeTokenReply>;
  [Subjects.registry.instance.deauthorize]: Call<GetInstanceRequest, PlatformInstanceView>;
  [Subjects.registry.instance.delete]: Call<GetInstanceRequest, InstanceDeletedReply>;
  [Subjects.registry.clientKey.list]: Call<Nothing, PlatformClientKeyList>;
  [Subjects.registry.clientKey.rotate]: Call<RotateClientKeyRequest, PlatformClientKeyList>;
  [Subjects.registry.clientKey.jwks]: Call<Nothing, JsonWebKeySet>;
  [Subjects.registry.clientKey.sign]: Call<SignClientAssertionRequest, ClientAssertionReply>;
  [Subjects.registry.integration.create]: Call<CreateIntegrationCommand, IntegrationWithSecret>;
  [Subjects.registry.integration.list]: Call<ListIntegrationsRequest, IntegrationPage>;
  [Subjects.registry.integration.get]: Call<IntegrationIdRequest, IntegrationView>;
  [Subjects.registry.integration.update]: Call<UpdateIntegrationCommand, IntegrationView>;
  [Subjects.registry.integration.delete]: Call<IntegrationIdRequest, { deleted: true }>;
  [Subjects.registry.integration.rotateSecret]: Call<RotateSecretCommand, IntegrationWithSecret>;
  [Subjects.registry.integration.credentials]: Call<ClientCredentialsRequest, ClientCredentialsRecord>;
  [Subjects.registry.permission.list]: Call<Nothing, PermissionList>;

  [Subjects.gateway.actorKey.get]: Call<Nothing, GatewayActorKey>;

  [Subjects.broker.ping]: Call<Nothing, PingReply>;
  [Subjects.broker.provider.create]: Call<CreateProviderRequest, ProviderView>;
  [Subjects.broker.provider.import]: Call<ImportProvidersRequest, ProviderPage>;
  [Subjects.broker.provider.discover]: Call<DiscoverProviderRequest, ProviderView>;
  [Subjects.broker.provider.list]: Call<ListRequest, ProviderPage>;
  [Subjects.broker.provider.get]: Call<ProviderIdRequest, ProviderView>;
  [Subjects.broker.provider.update]: Call<UpdateProviderRequest, ProviderView>;
  [Subjects.broker.provider.delete]: Call<ProviderIdRequest, { deleted: true }>;
  [Subjects.broker.provider.test]: Call<TestProviderRequest, ProviderTestReply>;
  [Subjects.broker.provider.applyTemplateUpdate]: Call<ApplyTemplateUpdateRequest, ProviderView>;
  [Subjects.broker.provider.rotateSigningKey]: Call<ProviderIdRequest, ProviderView>;
  [Subjects.broker.provider.jwks]: Call<ProviderIdRequest, ProviderJwks>;
  [Subjects.broker.catalog.list]: Call<CatalogQuery, CatalogList>;
  [Subjects.broker.catalog.get]: Call<CatalogIdRequest, CatalogEntry>;
  [Subjects.broker.catalog.save]: Call<SaveTemplateRequest, CatalogEntry>;
  [Subjects.broker.catalog.import]: Call<ImportTemplatesRequest, ImportTemplatesReply>;
  [Subjects.broker.token.create]: Call<CreateTokenCommand, OutboundTokenView>;
  [Subjects.broker.token.list]: Call<ListTokensRequest, OutboundTokenPage>;
  [Subjects.broker.token.get]: Call<TokenIdRequest, OutboundTokenView>;
  [Subjects.broker.token.update]: Call<UpdateTokenRequest, OutboundTokenView>;
  [Subjects.broker.token.delete]: Call<TokenIdRequest, { deleted: true }>;
  [Subjects.broker.token.authorize]: Call<TokenIdRequest, AuthorizeTokenReply>;
  [Subjects.broker.token.callback]: Call<AuthorizationCallbackRequest, AuthorizationCallbackReply>;
  [Subjects.broker.token.refresh]: Call<TokenIdRequest, OutboundTokenView>;
  [Subjects.broker.token.revoke]: Call<TokenIdRequest, OutboundTokenView>;
  [Subjects.broker.token.access]: Call<AccessTokenRequest, AccessTokenReply>;
  [Subjects.broker.webhook.create]: Call<CreateWebhookRequest, WebhookWithSecret>;
  [Subjects.broker.webhook.list]: Call<ListWebhooksRequest, WebhookPage>;
  [Subjects.broker.webhook.get]: Call<WebhookIdRequest, WebhookView>;
  [Subjects.broker.webhook.update]: Call<UpdateWebhookRequest, WebhookView>;
  [Subjects.broker.webhook.delete]: Call<WebhookIdRequest, { deleted: true }>;
  [Subjects.broker.webhook.rotateSecret]: Call<RotateWebhookSecretRequest, WebhookWithSecret>;
  [Subjects.broker.webhook.messages]: Call<ListWebhookMessagesRequest, WebhookMessagePage>;
  [Subjects.broker.webhook.retry]: Call<WebhookMessageRequest, WebhookMessageView>;
  [Subjects.broker.webhook.recover]: Call<RecoverWebhookRequest, WebhookRecoverReply>;
  [Subjects.broker.webhook.test]: Call<WebhookIdRequest, WebhookMessageView>;
}

export type BusSubject = keyof BusCalls;
export type RequestOf<S extends BusSubject> = BusCalls[S]['request'];
export type ReplyOf<S extends BusSubject> = BusCalls[S]['reply'];
