import { IsArray, IsBoolean, IsIn, IsOptional, IsString, IsUrl } from 'class-validator';
import {
  ANNOUNCED_CLIENT_AUTHENTICATION_METHODS,
  ASYMMETRIC_SIGNING_ALGORITHMS,
  INTEGRATION_GRANT_TYPES,
  JWT_BEARER_ASSERTION_TYPE,
  type ClientAuthenticationMethod,
  type IntegrationGrantType,
} from '../oauth.js';
import { Doc, Secret } from '../schema.js';

const TOKEN_TYPE_HINTS = ['access_token', 'refresh_token'] as const;
const ISSUER_URL = { require_tld: false };

/**
 * The token endpoint's form (RFC 6749 §4.1.3, §4.4.2, §6). The gateway passes the fields on as they are and auth-server
 * checks them per grant (answering RFC 6749 errors), so this class says what the endpoint takes; nothing validates with it.
 */
@Doc("The token endpoint's form; client_secret_post puts the client's credentials here too")
export class TokenEndpointForm {
  @Doc('The grant') @IsIn(INTEGRATION_GRANT_TYPES) grant_type: IntegrationGrantType;
  @Doc("Space-separated permissions; none: all of the integration's permissions", { examples: ['*:orgs=read'] }) @IsOptional() @IsString() scope?: string;
  @Secret() @Doc('refresh_token grant: the refresh token') @IsOptional() @IsString() refresh_token?: string;
  @Secret() @Doc('authorization_code grant: the code') @IsOptional() @IsString() code?: string;
  @Doc('authorization_code grant: the one sent to /oauth/authorize') @IsOptional() @IsString() redirect_uri?: string;
  @Secret() @Doc('authorization_code grant: the PKCE verifier (S256)') @IsOptional() @IsString() code_verifier?: string;
  @Doc('RFC 8707: the resource server the token is for (its `aud`); absent: the issuer') @IsOptional() @IsString() resource?: string;
  @Doc('client_secret_post and private_key_jwt (or with HTTP Basic: the same id)') @IsOptional() @IsString() client_id?: string;
  @Doc('client_secret_post only; never together with HTTP Basic') @IsOptional() @IsString() client_secret?: string;
  @Doc('private_key_jwt (RFC 7523 §2.2)') @IsOptional() @IsIn([JWT_BEARER_ASSERTION_TYPE]) client_assertion_type?: string;
  @Secret()
  @Doc("private_key_jwt: a JWT signed with a key of the integration's JWKS; iss = sub = client id, aud = issuer, jti used once")
  @IsOptional()
  @IsString()
  client_assertion?: string;
}

/** Introspection and revocation (RFC 7662 §2.1, RFC 7009 §2.1), authenticated like the token endpoint. */
@Doc('A token to introspect or revoke; authenticated like the token endpoint')
export class TokenForm {
  @Secret() @Doc('The token') @IsString() token: string;
  @Doc('Where to look first') @IsOptional() @IsIn(TOKEN_TYPE_HINTS) token_type_hint?: (typeof TOKEN_TYPE_HINTS)[number];
  @Doc('client_secret_post and private_key_jwt') @IsOptional() @IsString() client_id?: string;
  @Doc('client_secret_post') @IsOptional() @IsString() client_secret?: string;
  @Doc('private_key_jwt (RFC 7523 §2.2)') @IsOptional() @IsIn([JWT_BEARER_ASSERTION_TYPE]) client_assertion_type?: string;
  @Secret() @Doc('private_key_jwt: the signed client assertion') @IsOptional() @IsString() client_assertion?: string;
}

/** RFC 6749 §4.1.1 with PKCE (RFC 7636): what /oauth/authorize reads from its query (checked by auth-server). */
@Doc('An authorization request (RFC 6749 §4.1.1) with PKCE (RFC 7636)')
export class AuthorizationQuery {
  @Doc('Always code') @IsIn(['code']) response_type: 'code';
  @Doc("The integration's client id") @IsString() client_id: string;
  @Doc("One of the integration's redirect URIs, exactly") @IsString() redirect_uri: string;
  @Doc("Space-separated permissions; none: all of the integration's") @IsOptional() @IsString() scope?: string;
  @Doc('Returned unchanged with the answer') @IsOptional() @IsString() state?: string;
  @Doc('PKCE (RFC 7636): base64url SHA-256 of the verifier') @IsString() code_challenge: string;
  @Doc('Always S256') @IsIn(['S256']) code_challenge_method: 'S256';
  @Doc('RFC 8707: the resource server the token is for') @IsOptional() @IsString() resource?: string;
  @Doc('RFC 9449 §10: the JWK thumbprint (RFC 7638, SHA-256) of the DPoP key the code is bound to; its exchange must prove that key')
  @IsOptional()
  @IsString()
  dpop_jkt?: string;
}

/** The sign-in and consent forms the authorization page posts to itself. */
@Doc('The sign-in and consent forms the authorization page posts to itself')
export class AuthorizePageForm {
  @Doc('Must equal the tessera_csrf cookie (double submit)') @IsString() csrf: string;
  @Doc('The authorization request the page was rendered for, as the page sent it') @IsString() request: string;
  @Doc('Sign in, or answer the request') @IsIn(['login', 'approve', 'deny']) action: 'login' | 'approve' | 'deny';
  @Doc('action=login: the username') @IsOptional() @IsString() username?: string;
  @Secret() @Doc('action=login: the password', { format: 'password' }) @IsOptional() @IsString() password?: string;
}

/** RFC 8414 authorization server metadata, as GET /.well-known/oauth-authorization-server answers it. */
@Doc('RFC 8414 authorization server metadata')
export class AuthorizationServerMetadata {
  @Doc('The issuer: its `iss` claim and base URL') @IsUrl(ISSUER_URL) issuer: string;
  @Doc('RFC 6749 §3.1') @IsUrl(ISSUER_URL) authorization_endpoint: string;
  @Doc('RFC 6749 §3.2') @IsUrl(ISSUER_URL) token_endpoint: string;
  @Doc('The public signing keys') @IsUrl(ISSUER_URL) jwks_uri: string;
  @Doc('RFC 7662') @IsUrl(ISSUER_URL) introspection_endpoint: string;
  @Doc('RFC 7009') @IsUrl(ISSUER_URL) revocation_endpoint: string;
  @Doc('The grants the token endpoint serves') @IsArray() @IsIn(INTEGRATION_GRANT_TYPES, { each: true }) grant_types_supported: IntegrationGrantType[];
  @Doc('Only code') @IsArray() @IsString({ each: true }) response_types_supported: string[];
  @Doc('Only query') @IsArray() @IsString({ each: true }) response_modes_supported: string[];
  @Doc('How clients authenticate at the token endpoint')
  @IsArray()
  @IsIn(ANNOUNCED_CLIENT_AUTHENTICATION_METHODS, { each: true })
  token_endpoint_auth_methods_supported: ClientAuthenticationMethod[];
  @Doc('The JWS algorithms private_key_jwt assertions may be signed with here')
  @IsArray()
  @IsIn(ASYMMETRIC_SIGNING_ALGORITHMS, { each: true })
  token_endpoint_auth_signing_alg_values_supported: string[];
  @Doc('How clients authenticate at the introspection endpoint')
  @IsArray()
  @IsIn(ANNOUNCED_CLIENT_AUTHENTICATION_METHODS, { each: true })
  introspection_endpoint_auth_methods_supported: ClientAuthenticationMethod[];
  @Doc('The JWS algorithms private_key_jwt assertions may be signed with here')
  @IsArray()
  @IsIn(ASYMMETRIC_SIGNING_ALGORITHMS, { each: true })
  introspection_endpoint_auth_signing_alg_values_supported: string[];
  @Doc('How clients authenticate at the revocation endpoint')
  @IsArray()
  @IsIn(ANNOUNCED_CLIENT_AUTHENTICATION_METHODS, { each: true })
  revocation_endpoint_auth_methods_supported: ClientAuthenticationMethod[];
  @Doc('The JWS algorithms private_key_jwt assertions may be signed with here')
  @IsArray()
  @IsIn(ASYMMETRIC_SIGNING_ALGORITHMS, { each: true })
  revocation_endpoint_auth_signing_alg_values_supported: string[];
  @Doc('RFC 9449 §5.1: the JWS algorithms DPoP proofs may be signed with')
  @IsArray()
  @IsIn(ASYMMETRIC_SIGNING_ALGORITHMS, { each: true })
  dpop_signing_alg_values_supported: string[];
  @Doc('PKCE methods: only S256') @IsArray() @IsString({ each: true }) code_challenge_methods_supported: string[];
  @Doc('RFC 9207: the authorization response carries `iss`') @IsBoolean() authorization_response_iss_parameter_supported: boolean;
  @Doc('Scopes are permissions in the `<instance>:<resource>=<action>` grammar, not a fixed list')
  @IsArray()
  @IsString({ each: true })
  scopes_supported: string[];
  @Doc('Where the documentation is') @IsUrl() service_documentation: string;
  @Doc(
    'Tessera extension: the JWKS this platform signs its private_key_jwt client assertions with when it calls another platform (P2PI); that platform registers this URL for it',
  )
  @IsUrl(ISSUER_URL)
  tessera_client_jwks_uri: string;
}
