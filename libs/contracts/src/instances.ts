import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { TOKEN_STATES, type TokenState } from './broker/vocabulary.js';
import { OffsetPage } from './pages.js';
import { Doc, IsTimestamp, Nullable, Secret } from './schema.js';

/** Instance names appear in permissions (`acme:users=read`), so they are plain lowercase words. */
export const INSTANCE_NAME_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
export const INSTANCE_AUTH_TYPES = ['none', 'oauth', 'password'] as const;
export type InstanceAuthType = (typeof INSTANCE_AUTH_TYPES)[number];

@Doc('Another Tessera platform to trust (P2PI)')
export class RegisterInstanceRequest {
  @Doc('Its name here; permissions name it (`<name>:users=read`)', { examples: ['instance-2'] })
  @IsString()
  @Matches(INSTANCE_NAME_PATTERN, { message: 'name must be 1-63 lowercase letters, digits or hyphens, starting and ending with a letter or digit' })
  name: string;

  @Doc('Its base URL (its issuer)')
  @IsString()
  @MaxLength(2048)
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] }, { message: 'baseUrl must be an http(s) URL' })
  baseUrl: string;
}

@Doc('One platform instance, by id')
export class GetInstanceRequest {
  @Doc('The instance')
  @IsUUID('all', { message: 'id must be a UUID' })
  id: string;
}

@Doc('Which platform instances to list, a page at a time')
export class ListInstancesRequest {
  @Doc('At most this many (default 50)')
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;

  @Doc('Skip this many first')
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  offset?: number;
}

/** How this platform authenticates when it calls the instance (P2PI): "Use OAuth-based authentication", or a password. */
@Doc('How this platform authenticates when it calls the instance: none, OAuth (a client app) or a password')
export class InstanceAuthRequest {
  @Doc('none, oauth (through an outbound client app) or password')
  @IsIn(INSTANCE_AUTH_TYPES, { message: 'type must be one of none, oauth, password' })
  type: InstanceAuthType;

  @Doc("type=oauth: the outbound client app (a broker provider) holding this platform's client credentials at the instance")
  @ValidateIf((o: InstanceAuthRequest) => o.type === 'oauth')
  @IsUUID('all', { message: 'clientAppId must be the id of an outbound client app' })
  clientAppId?: string;

  @Doc('type=password: the user to sign in as')
  @ValidateIf((o: InstanceAuthRequest) => o.type === 'password')
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  username?: string;

  @Doc('type=password: the password (write-only)')
  @ValidateIf((o: InstanceAuthRequest) => o.type === 'password')
  @IsString()
  @MinLength(1)
  @MaxLength(1024)
  @Secret()
  password?: string;
}

@Doc('The changes to a platform instance: only the fields sent change')
export class UpdateInstanceBody {
  @IsOptional()
  @ValidateNested()
  @Type(() => InstanceAuthRequest)
  auth?: InstanceAuthRequest;

  @Doc('Its new base URL')
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] }, { message: 'baseUrl must be an http(s) URL' })
  baseUrl?: string;
}

@Doc('A platform instance and the changes to make to it')
export class UpdateInstanceCommand extends UpdateInstanceBody {
  @Doc('The instance') @IsUUID('all') id: string;
}

@Doc('One platform instance, by name')
export class FindInstanceRequest {
  @Doc('Its name')
  @IsString()
  @Matches(INSTANCE_NAME_PATTERN, { message: 'name must be an instance name' })
  name: string;
}

@Doc('How this platform authenticates to an instance (never the password)')
export class InstanceAuthView {
  @Doc('none, oauth (through an outbound client app) or password') @IsIn(INSTANCE_AUTH_TYPES) type: InstanceAuthType;
  @Doc('type=oauth: the outbound client app') @IsOptional() @IsUUID('all') clientAppId?: string;
  @Doc('type=password: the user signed in as') @IsOptional() @IsString() username?: string;
}

/** What the gateway needs to call an instance: where, and how (the password only over request/reply, never in events). */
@Doc('What the gateway needs to call an instance: where, and how')
export class InstanceConnection {
  @Doc('The instance') @IsUUID('all') id: string;
  @Doc('Its name') @IsString() name: string;
  @Doc('Its base URL') @IsString() baseUrl: string;
  @ValidateNested() @Type(() => InstanceAuthView) auth: InstanceAuthView;
  @Doc('The OAuth token held for it (an outbound token), if any') @Nullable() @IsUUID('all') tokenId: string | null;
  @Secret() @Doc('type=password: the password (over request/reply only)') @IsOptional() @IsString() password?: string;
}

/** `tessera.events.registry.instance.authorized` / `.deauthorized`: the OAuth token for calling the instance arrived, or went. */
@Doc('tessera.events.registry.instance.authorized / .deauthorized: the token for calling an instance arrived, or went')
export class InstanceAuthorizationEvent {
  @Doc('The instance') @IsString() instanceId: string;
  @Doc('Its name') @IsString() name: string;
  @Doc('The outbound token') @IsString() tokenId: string;
  @Doc("The token's state") @IsString() state: string;
  @Doc('What the broker said') @IsOptional() @IsString() message?: string;
}

/** The OAuth token this platform holds for calling the instance, as the broker reports it (never the token itself). */
@Doc('The OAuth token this platform holds for calling the instance (never the token itself)')
export class InstanceTokenView {
  @Doc('The outbound token') @IsUUID('all') tokenId: string;
  @Doc('Its state') @IsIn(TOKEN_STATES) state: TokenState;
  @Doc('When its access token expires; null: unknown or none') @Nullable() @IsTimestamp() expiresAt: string | null;
  @Doc('The scope the instance granted') @Nullable() @IsString() scope: string | null;
  @Doc('What the broker last said about it') @Nullable() @IsString() lastMessage: string | null;
  @Doc('When it last changed') @IsTimestamp() updatedAt: string;
}

@Doc('Another Tessera platform this one trusts (P2PI)')
export class PlatformInstanceView {
  @Doc('Its id') @IsUUID('all') id: string;
  @Doc('Its name here; permissions name it', { examples: ['instance-2'] }) @IsString() name: string;
  @Doc('Its base URL (its issuer)') @IsUrl({ require_tld: false }) baseUrl: string;
  @ValidateNested() @Type(() => InstanceAuthView) auth: InstanceAuthView;
  @Doc('The OAuth token held for calling it; null: none yet') @Nullable() @ValidateNested() @Type(() => InstanceTokenView) token: InstanceTokenView | null;
  @Doc('When it was registered') @IsTimestamp() createdAt: string;
  @Doc('When it last changed') @IsTimestamp() updatedAt: string;
}

@Doc('A page of platform instances')
export class PlatformInstancePage extends OffsetPage {
  @Doc('The instances on this page') @ValidateNested({ each: true }) @Type(() => PlatformInstanceView) items: PlatformInstanceView[];
}

/** `tessera.events.registry.instance.updated`: its address or how it is authenticated changed (never the password). */
@Doc('tessera.events.registry.instance.updated: its address or how it is authenticated changed')
export class InstanceUpdatedEvent {
  @Doc('The instance') @IsString() instanceId: string;
  @Doc('Its name') @IsString() name: string;
  @Doc('Its base URL') @IsString() baseUrl: string;
  @ValidateNested() @Type(() => InstanceAuthView) auth: InstanceAuthView;
}

@Doc('tessera.events.registry.instance.registered: another platform was registered')
export class InstanceRegisteredEvent {
  @Doc('The instance') @IsString() instanceId: string;
  @Doc('Its name') @IsString() name: string;
  @Doc('Its base URL') @IsString() baseUrl: string;
  @Doc('When') @IsTimestamp() registeredAt: string;
}

/** `tessera.events.registry.instance.deleted`: the record is gone; copies of it (known names, peer addresses) go too. */
@Doc('tessera.events.registry.instance.deleted: the instance is gone')
export class InstanceDeletedEvent {
  @Doc('The instance') @IsString() instanceId: string;
  @Doc('Its name') @IsString() name: string;
}

@Doc('What deleting an instance did besides removing the record')
export class InstanceDeletedReply {
  @Doc('The OAuth token was revoked at the instance (RFC 7009) before it was forgotten') @IsBoolean() tokenRevoked: boolean;
  @Doc('The outbound client app (a provider) was deleted') @IsBoolean() clientAppDeleted: boolean;
}

/** The client credentials another platform issued to this one (POST /admin/instances/:id/client-app). */
@Doc('The client credentials another platform issued to this one')
export class ClientAppRequest {
  @Doc('The client id the other platform issued') @IsString() @MinLength(1) @MaxLength(500) clientId: string;
  @Secret()
  @Doc(
    "Its app secret (write-only). Absent: this platform authenticates with private_key_jwt, signing with its client key (the other platform registered this one's tessera_client_jwks_uri)",
  )
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  clientSecret?: string;
}

@Doc('Client credentials for an instance')
export class CreateClientAppCommand extends ClientAppRequest {
  @Doc('The instance') @IsUUID('all') id: string;
}

/** How the integration an instance calls this platform with authenticates (POST /admin/instances/:id/integration). */
export const INSTANCE_CLIENT_AUTH_METHODS = ['client_secret_basic', 'private_key_jwt'] as const;
export type InstanceClientAuthMethod = (typeof INSTANCE_CLIENT_AUTH_METHODS)[number];

@Doc("The instance's integration on this platform: with a shared secret, or with the instance's published keys")
export class CreateInstanceIntegrationBody {
  @Doc(
    "client_secret_basic (default): an app secret to copy to the instance; private_key_jwt: no secret, the instance signs with the keys it publishes at its metadata's tessera_client_jwks_uri",
  )
  @IsOptional()
  @IsIn(INSTANCE_CLIENT_AUTH_METHODS)
  tokenEndpointAuthMethod?: InstanceClientAuthMethod;
}

@Doc("An instance's integration to create")
export class CreateInstanceIntegrationCommand extends CreateInstanceIntegrationBody {
  @Doc('The instance') @IsUUID('all', { message: 'id must be a UUID' }) id: string;
}
