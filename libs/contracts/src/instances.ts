import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUrl, IsUUID, Matches, Max, MaxLength, Min, MinLength, ValidateIf, ValidateNested } from 'class-validator';

/** Instance names appear in permissions (`acme:users=read`), so they are plain lowercase words. */
export const INSTANCE_NAME_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

export class RegisterInstanceRequest {
  @IsString()
  @Matches(INSTANCE_NAME_PATTERN, { message: 'name must be 1-63 lowercase letters, digits or hyphens, starting and ending with a letter or digit' })
  name: string;

  @IsString()
  @MaxLength(2048)
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] }, { message: 'baseUrl must be an http(s) URL' })
  baseUrl: string;
}

export class GetInstanceRequest {
  @IsUUID('all', { message: 'id must be a UUID' })
  id: string;
}

export class ListInstancesRequest {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  offset?: number;
}

/** How this platform authenticates when it calls the instance (P2PI): "Use OAuth-based authentication", or a password. */
export class InstanceAuthRequest {
  @IsIn(['none', 'oauth', 'password'], { message: 'type must be one of none, oauth, password' })
  type: 'none' | 'oauth' | 'password';

  /** The outbound client app (a broker provider) holding this platform's client credentials at the instance. */
  @ValidateIf((o: InstanceAuthRequest) => o.type === 'oauth')
  @IsUUID('all', { message: 'clientAppId must be the id of an outbound client app' })
  clientAppId?: string;

  @ValidateIf((o: InstanceAuthRequest) => o.type === 'password')
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  username?: string;

  @ValidateIf((o: InstanceAuthRequest) => o.type === 'password')
  @IsString()
  @MinLength(1)
  @MaxLength(1024)
  password?: string;
}

export class UpdateInstanceBody {
  @IsOptional()
  @ValidateNested()
  @Type(() => InstanceAuthRequest)
  auth?: InstanceAuthRequest;

  @IsOptional()
  @IsString()
  @MaxLength(2048)
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] }, { message: 'baseUrl must be an http(s) URL' })
  baseUrl?: string;
}

export class UpdateInstanceCommand extends UpdateInstanceBody {
  @IsUUID('all') id: string;
}

export class FindInstanceRequest {
  @IsString()
  @Matches(INSTANCE_NAME_PATTERN, { message: 'name must be an instance name' })
  name: string;
}

/** What the gateway needs to call an instance: where, and how (the password only over request/reply, never in events). */
export interface InstanceConnection {
  id: string;
  name: string;
  baseUrl: string;
  auth: InstanceAuthView;
  tokenId: string | null;
  password?: string;
}

/** `tessera.events.instance.authorized` / `.deauthorized`: the OAuth token for calling the instance arrived, or went. */
export interface InstanceAuthorizationEvent {
  instanceId: string;
  name: string;
  tokenId: string;
  state: string;
  message?: string;
}

export interface InstanceAuthView {
  type: 'none' | 'oauth' | 'password';
  clientAppId?: string;
  username?: string;
}

/** The OAuth token this platform holds for calling the instance, as the broker reports it (never the token itself). */
export interface InstanceTokenView {
  tokenId: string;
  state: string;
  expiresAt: string | null;
  scope: string | null;
  lastMessage: string | null;
  updatedAt: string;
}

export interface PlatformInstanceView {
  id: string;
  name: string;
  baseUrl: string;
  auth: InstanceAuthView;
  token: InstanceTokenView | null;
  createdAt: string;
  updatedAt: string;
}

/** `tessera.events.instance.updated`: its address or how it is authenticated changed (never the password). */
export interface InstanceUpdatedEvent {
  instanceId: string;
  name: string;
  baseUrl: string;
  auth: InstanceAuthView;
}

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

export interface InstanceRegisteredEvent {
  instanceId: string;
  name: string;
  baseUrl: string;
  registeredAt: string;
}

/** `tessera.events.instance.deleted`: the record is gone; copies of it (known names, peer addresses) go too. */
export interface InstanceDeletedEvent {
  instanceId: string;
  name: string;
}

/** What DELETE /admin/instances/:id did besides removing the record. */
export interface InstanceDeletedReply {
  /** The OAuth token was revoked at the instance (RFC 7009) before it was forgotten. */
  tokenRevoked: boolean;
  /** The outbound client app (a provider) was deleted. */
  clientAppDeleted: boolean;
}

/** The client credentials another platform issued to this one (POST /admin/instances/:id/client-app). */
export class ClientAppRequest {
  @IsString() @MinLength(1) @MaxLength(500) clientId: string;
  @IsString() @MinLength(1) @MaxLength(500) clientSecret: string;
}

export class CreateClientAppCommand extends ClientAppRequest {
  @IsUUID('all') id: string;
}
