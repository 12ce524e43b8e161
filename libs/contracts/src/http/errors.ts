import { IsIn, IsInt, IsObject, IsOptional, IsString, IsUrl, Matches, Max, Min } from 'class-validator';
import { OAUTH_ERROR_CODES, type OAuthErrorCode } from '../oauth.js';
import { Doc } from '../schema.js';

/** The body of every REST error (everything but the OAuth endpoints): one shape, whatever raised it. */
@Doc('Every error of the REST API (everything but the OAuth endpoints)')
export class RestError {
  @Doc('The HTTP status, again') @IsInt() @Min(400) @Max(599) statusCode: number;
  @Doc('A snake_case code: validation_failed, unauthorized, forbidden, not_found, conflict, rate_limited, unavailable, internal …', {
    examples: ['not_found'],
  })
  @IsString()
  @Matches(/^[a-z][a-z0-9_]*$/)
  error: string;
  @Doc('For people; do not parse it') @IsString() message: string;
  @Doc('For validation_failed: field (dotted for nested ones) → messages', { additionalProperties: { type: 'array', items: { type: 'string' } } })
  @IsOptional()
  @IsObject()
  fields?: Record<string, string[]>;
}

/** RFC 6749 §5.2: what the token, introspection and revocation endpoints answer when they refuse. */
@Doc('RFC 6749 §5.2 error response')
export class OAuthError {
  @Doc('The error code (RFC 6749 §5.2, RFC 7009 §2.2.1)') @IsIn(OAUTH_ERROR_CODES) error: OAuthErrorCode;
  @Doc('For people; do not parse it') @IsOptional() @IsString() error_description?: string;
  @Doc('A page about the error') @IsOptional() @IsUrl() error_uri?: string;
}
