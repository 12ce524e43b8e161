import { AdminSessionView, AdminUserList, AdminUserView, AdminUserWithPassword, CreateAdminUserRequest, UpdateAdminUserBody } from '../admin-users.js';
import { AuditPage, ListAuditQuery } from '../audit.js';
import { DeadLetterPage, ListDeadLettersQuery } from '../dead-letters.js';
import { EventHistoryPage, ListEventsQuery } from '../event-history.js';
import { AdminLoginRequest, ChangeAdminPasswordRequest, FamilyPage, IntrospectionResponse, JsonWebKeySet, ListFamiliesQuery, TokenResponse } from '../auth.js';
import {
  CreateProviderRequest,
  ImportProvidersQuery,
  ImportProvidersRequest,
  ListRequest,
  ProviderPage,
  ProviderTestReply,
  ProviderView,
  TestProviderFields,
  UpdateProviderFields,
} from '../broker/providers.js';
import { ProviderJwks } from '../broker/signing-keys.js';
import { CatalogEntry, CatalogList, CatalogQuery, ImportTemplatesReply, SaveTemplateRequest } from '../broker/catalog.js';
import {
  AuthorizeTokenReply,
  CreateTokenRequest,
  ListTokensRequest,
  OutboundAccessToken,
  OutboundTokenPage,
  OutboundTokenView,
  TokenChanges,
} from '../broker/tokens.js';
import { PlatformClientKeyList, RotateClientKeyRequest } from '../platform-client-keys.js';
import {
  ClientAppRequest,
  CreateInstanceIntegrationBody,
  ListInstancesRequest,
  PlatformInstancePage,
  PlatformInstanceView,
  RegisterInstanceRequest,
  UpdateInstanceBody,
} from '../instances.js';
import {
  CreateWebhookRequest,
  ListWebhookMessagesQuery,
  ListWebhooksRequest,
  RecoverWebhookBody,
  RotateWebhookSecretBody,
  UpdateWebhookFields,
  WebhookMessagePage,
  WebhookMessageView,
  WebhookPage,
  WebhookRecoverReply,
  WebhookView,
  WebhookWithSecret,
} from '../broker/webhooks.js';
import { IntegrationPage, IntegrationView, IntegrationWithSecret, PermissionList } from '../integration-views.js';
import { CreateIntegrationRequest, ListIntegrationsRequest, RotateSecretBody, UpdateIntegrationBody } from '../integrations.js';
import {
  CreateSsfStreamRequest,
  ListSsfStreamsQuery,
  SsfConfiguration,
  SsfPollRequest,
  SsfPollResponse,
  SsfStreamAdminPage,
  SsfStreamConfiguration,
  SsfStreamQuery,
  SsfStreamRef,
  SsfStreamStatus,
  SsfSubjectRequest,
  SsfVerificationRequest,
  UpdateSsfStatusRequest,
  UpdateSsfStreamRequest,
} from '../ssf.js';
import { AuthorizationServerMetadata } from './oauth.js';
import { Empty, Liveness, WhoAmI } from './resources.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Class = abstract new (...args: any[]) => object;

/** One route: what it reads (a JSON body, a query) and what it answers with (null: 204 No Content). */
export interface HttpRoute {
  body?: Class;
  query?: Class;
  reply: Class | null;
}
export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/**
 * Every gateway route that answers JSON, by path and method: what it takes and what it answers. The OpenAPI document
 * takes each route's answer from here (and fails to build when a route and this table disagree), and the console's
 * client is typed from it, so a reply's shape is named once. Routes that answer something else (HTML pages, the proxy,
 * event streams, files) say so where they are declared.
 */
export const HTTP_API = {
  '/health': { get: { reply: Liveness } },
  '/.well-known/oauth-authorization-server': { get: { reply: AuthorizationServerMetadata } },
  '/oauth/jwks': { get: { reply: JsonWebKeySet } },
  '/oauth/client-jwks': { get: { reply: JsonWebKeySet } },
  '/oauth/token': { post: { reply: TokenResponse } },
  '/oauth/introspect': { post: { reply: IntrospectionResponse } },
  '/oauth/revoke': { post: { reply: Empty } },
  '/api/whoami': { get: { reply: WhoAmI } },
  '/tokens/:name': { get: { reply: OutboundAccessToken } },
  '/providers/:id/jwks.json': { get: { reply: ProviderJwks } },

  // The Shared Signals transmitter (ADR 0049); GET /ssf/streams without stream_id answers an array of them.
  '/.well-known/ssf-configuration': { get: { reply: SsfConfiguration } },
  '/ssf/streams': {
    get: { query: SsfStreamQuery, reply: SsfStreamConfiguration },
    post: { body: CreateSsfStreamRequest, reply: SsfStreamConfiguration },
    patch: { body: UpdateSsfStreamRequest, reply: SsfStreamConfiguration },
    put: { body: UpdateSsfStreamRequest, reply: SsfStreamConfiguration },
    delete: { query: SsfStreamRef, reply: null },
  },
  '/ssf/status': { get: { query: SsfStreamRef, reply: SsfStreamStatus }, post: { body: UpdateSsfStatusRequest, reply: SsfStreamStatus } },
  '/ssf/subjects/add': { post: { body: SsfSubjectRequest, reply: Empty } },
  '/ssf/subjects/remove': { post: { body: SsfSubjectRequest, reply: null } },
  '/ssf/verify': { post: { body: SsfVerificationRequest, reply: null } },
  '/ssf/poll/:streamId': { post: { body: SsfPollRequest, reply: SsfPollResponse } },

  '/admin/login': { post: { body: AdminLoginRequest, reply: TokenResponse } },
  '/admin/logout': { post: { reply: null } },
  '/admin/password': { post: { body: ChangeAdminPasswordRequest, reply: null } },
  '/admin/session': { get: { reply: AdminSessionView } },
  '/admin/session/renew': { post: { reply: TokenResponse } },
  '/admin/session/resume': { post: { reply: TokenResponse } },
  '/admin/users': { get: { reply: AdminUserList }, post: { body: CreateAdminUserRequest, reply: AdminUserWithPassword } },
  '/admin/users/:id': { get: { reply: AdminUserView }, patch: { body: UpdateAdminUserBody, reply: AdminUserView }, delete: { reply: null } },
  '/admin/users/:id/password': { post: { reply: AdminUserWithPassword } },
  '/admin/audit': { get: { query: ListAuditQuery, reply: AuditPage } },
  '/admin/events': { get: { query: ListEventsQuery, reply: EventHistoryPage } },
  '/admin/dead-letters': { get: { query: ListDeadLettersQuery, reply: DeadLetterPage } },
  '/admin/ssf/streams': { get: { query: ListSsfStreamsQuery, reply: SsfStreamAdminPage } },

  '/admin/integrations': {
    get: { query: ListIntegrationsRequest, reply: IntegrationPage },
    post: { body: CreateIntegrationRequest, reply: IntegrationWithSecret },
  },
  '/admin/integrations/:id': { get: { reply: IntegrationView }, patch: { body: UpdateIntegrationBody, reply: IntegrationView }, delete: { reply: null } },
  '/admin/integrations/:id/secret': { post: { body: RotateSecretBody, reply: IntegrationWithSecret } },
  '/admin/integrations/:id/tokens': { get: { query: ListFamiliesQuery, reply: FamilyPage }, delete: { reply: null } },
  '/admin/integrations/:id/tokens/:familyId': { delete: { reply: null } },
  '/admin/permissions': { get: { reply: PermissionList } },

  '/admin/instances': {
    get: { query: ListInstancesRequest, reply: PlatformInstancePage },
    post: { body: RegisterInstanceRequest, reply: PlatformInstanceView },
  },
  '/admin/instances/:id': { get: { reply: PlatformInstanceView }, patch: { body: UpdateInstanceBody, reply: PlatformInstanceView }, delete: { reply: null } },
  '/admin/instances/:id/client-app': { post: { body: ClientAppRequest, reply: ProviderView } },
  '/admin/instances/:id/authorize': { post: { reply: AuthorizeTokenReply } },
  '/admin/instances/:id/deauthorize': { post: { reply: PlatformInstanceView } },
  '/admin/instances/:id/integration': { post: { body: CreateInstanceIntegrationBody, reply: IntegrationWithSecret } },
  '/admin/client-keys': { get: { reply: PlatformClientKeyList } },
  '/admin/client-keys/rotate': { post: { body: RotateClientKeyRequest, reply: PlatformClientKeyList } },

  '/admin/providers': { get: { query: ListRequest, reply: ProviderPage }, post: { body: CreateProviderRequest, reply: ProviderView } },
  '/admin/providers/import': { post: { body: ImportProvidersRequest, query: ImportProvidersQuery, reply: ProviderPage } },
  '/admin/providers/:id': { get: { reply: ProviderView }, patch: { body: UpdateProviderFields, reply: ProviderView }, delete: { reply: null } },
  '/admin/providers/:id/test': { post: { body: TestProviderFields, reply: ProviderTestReply } },
  '/admin/webhooks': { get: { query: ListWebhooksRequest, reply: WebhookPage }, post: { body: CreateWebhookRequest, reply: WebhookWithSecret } },
  '/admin/webhooks/:id': { get: { reply: WebhookView }, patch: { body: UpdateWebhookFields, reply: WebhookView }, delete: { reply: null } },
  '/admin/webhooks/:id/secret': { post: { body: RotateWebhookSecretBody, reply: WebhookWithSecret } },
  '/admin/webhooks/:id/messages': { get: { query: ListWebhookMessagesQuery, reply: WebhookMessagePage } },
  '/admin/webhooks/:id/messages/:messageId/retry': { post: { reply: WebhookMessageView } },
  '/admin/webhooks/:id/recover': { post: { body: RecoverWebhookBody, reply: WebhookRecoverReply } },
  '/admin/webhooks/:id/test': { post: { reply: WebhookMessageView } },
  '/admin/providers/:id/template-update': { post: { reply: ProviderView } },
  '/admin/providers/:id/signing-key': { post: { reply: ProviderView } },

  '/admin/catalog': { get: { query: CatalogQuery, reply: CatalogList }, post: { body: SaveTemplateRequest, reply: CatalogEntry } },
  '/admin/catalog/import': { post: { reply: ImportTemplatesReply } },
  '/admin/catalog/:id': { get: { reply: CatalogEntry } },

  '/admin/tokens': { get: { query: ListTokensRequest, reply: OutboundTokenPage }, post: { body: CreateTokenRequest, reply: OutboundTokenView } },
  '/admin/tokens/:id': { get: { reply: OutboundTokenView }, patch: { body: TokenChanges, reply: OutboundTokenView }, delete: { reply: null } },
  '/admin/tokens/:id/authorize': { post: { reply: AuthorizeTokenReply } },
  '/admin/tokens/:id/refresh': { post: { reply: OutboundTokenView } },
  '/admin/tokens/:id/revoke': { post: { reply: OutboundTokenView } },
} as const satisfies Record<string, Partial<Record<HttpMethod, HttpRoute>>>;

export type HttpApi = typeof HTTP_API;
export type HttpPath = keyof HttpApi;
/** The paths that take `method`. */
export type HttpPathWith<M extends HttpMethod> = { [P in HttpPath]: M extends keyof HttpApi[P] ? P : never }[HttpPath];
type RouteAt<P extends HttpPath, M extends HttpMethod> = M extends keyof HttpApi[P] ? HttpApi[P][M] : never;
type Instance<C> = C extends abstract new (...args: never) => infer T ? T : never;

/** `:id`, `:familyId` … of a path, as an object of strings. */
type ParamNames<P extends string> = P extends `${string}:${infer Name}/${infer Rest}`
  ? Name | ParamNames<`/${Rest}`>
  : P extends `${string}:${infer Name}`
    ? Name
    : never;
export type HttpParams<P extends string> = { [K in ParamNames<P>]: string };

/** What a route answers: its reply class's instance type, or void for 204. */
export type HttpReply<P extends HttpPath, M extends HttpMethod> = RouteAt<P, M> extends { reply: infer C } ? (C extends null ? void : Instance<C>) : never;

/** What a call of a route passes: `params` for a path with `:name`s, its `query`, its `body`. */
export type HttpInput<P extends HttpPath, M extends HttpMethod> = ([ParamNames<P>] extends [never] ? unknown : { params: HttpParams<P> }) &
  (RouteAt<P, M> extends { query: infer Q } ? { query?: Instance<Q> } : unknown) &
  (RouteAt<P, M> extends { body: infer B } ? { body: Instance<B> } : unknown);
