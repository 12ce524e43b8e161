import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, IsUrl, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';

/** Instance names appear in permissions (`acme:users=read`), so they are plain lowercase words. */
export const INSTANCE_NAME_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

export class RegisterInstanceRequest {
  @IsString() @Matches(INSTANCE_NAME_PATTERN, { message: 'name must be 1-63 lowercase letters, digits or hyphens, starting and ending with a letter or digit' })
  name: string;

  @IsString() @MaxLength(2048)
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] }, { message: 'baseUrl must be an http(s) URL' })
  baseUrl: string;
}

export class GetInstanceRequest {
  @IsUUID('all', { message: 'id must be a UUID' })
  id: string;
}

export class ListInstancesRequest {
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500)
  limit?: number;

  @IsOptional() @Type(() => Number) @IsInt() @Min(0)
  offset?: number;
}

export interface PlatformInstanceView {
  id: string;
  name: string;
  baseUrl: string;
  createdAt: string;
  updatedAt: string;
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
