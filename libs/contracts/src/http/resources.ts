import { IsArray, IsIn, IsString, IsUrl } from 'class-validator';
import { Doc, IsTimestamp, Nullable } from '../schema.js';

@Doc('Who the presented access token says its bearer is')
export class WhoAmI {
  @Doc('The subject: the client id, or `admin:<user>` for an administrator') @IsString() sub: string;
  @Doc('The client the token was issued to') @IsString() clientId: string;
  @Doc('The permissions it holds') @IsArray() @IsString({ each: true }) scope: string[];
  @Doc('Who issued it') @IsUrl({ require_tld: false }) issuer: string;
  @Doc('When it expires; null: never') @Nullable() @IsTimestamp() expiresAt: string | null;
}

@Doc('The process is up and serves HTTP')
export class Liveness {
  @Doc('Always ok') @IsIn(['ok']) status: 'ok';
}

/** An answer with nothing to say: RFC 7009 §2.2 revocation answers `{}` whether or not the token existed. */
@Doc('RFC 7009 §2.2: an empty JSON object')
export class Empty {}
