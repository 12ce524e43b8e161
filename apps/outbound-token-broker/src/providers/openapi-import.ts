import { BusError, MAX_BODY_DEPTH, nestsTooDeep, type CreateProviderRequest, type GrantType } from '@tessera/contracts';
import { parse as parseYaml } from 'yaml';

/** OpenAPI 3 flow names → the grant each one is. The implicit flow has no token endpoint and cannot be brokered. */
const FLOW_GRANTS: Record<string, GrantType> = {
  authorizationCode: 'authorization_code',
  clientCredentials: 'client_credentials',
  password: 'password',
};

export type ProviderDraft = Omit<CreateProviderRequest, 'clientId'> & { clientId?: string };

function invalid(message: string): BusError {
  return new BusError('validation_failed', message, { document: [message] });
}

function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'api'
  );
}

/** Accepts the document as an object, or as JSON or YAML text (YAML is a superset of JSON, so one parser reads both). */
function parseOpenApiDocument(document: unknown): Record<string, unknown> {
  let parsed = document;
  if (typeof document === 'string') {
    if (nestsTooDeep(document)) throw invalid(`document nests deeper than ${MAX_BODY_DEPTH} levels`);
    try {
      parsed = parseYaml(document);
    } catch (error) {
      throw invalid(`document is neither JSON nor YAML: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw invalid('document must be an OpenAPI 3 document');
  const openapi = (parsed as Record<string, unknown>).openapi;
  if (typeof openapi !== 'string' || !openapi.startsWith('3.')) throw invalid('document must be an OpenAPI 3 document (its "openapi" field must be 3.x)');
  return parsed as Record<string, unknown>;
}

/**
 * One provider per oauth2 flow in components.securitySchemes:
 * authorizationUrl, tokenUrl, refreshUrl and the flow's scopes come from the document; the client's credentials do not.
 */
export function providersFromOpenApi(document: unknown, namePrefix?: string): ProviderDraft[] {
  const doc = parseOpenApiDocument(document);
  const info = (doc.info ?? {}) as Record<string, unknown>;
  const prefix = namePrefix ?? slug(typeof info.title === 'string' ? info.title : 'api');
  const schemes = ((doc.components as Record<string, unknown> | undefined)?.securitySchemes ?? {}) as Record<string, Record<string, unknown>>;
  const drafts: ProviderDraft[] = [];
  for (const [schemeName, scheme] of Object.entries(schemes)) {
    if (!scheme || scheme.type !== 'oauth2' || typeof scheme.flows !== 'object' || !scheme.flows) continue;
    for (const [flowName, flow] of Object.entries(scheme.flows as Record<string, Record<string, unknown>>)) {
      const grantType = FLOW_GRANTS[flowName];
      if (!grantType || typeof flow?.tokenUrl !== 'string') continue;
      const scopes = flow.scopes && typeof flow.scopes === 'object' ? Object.keys(flow.scopes) : [];
      const description =
        typeof scheme.description === 'string'
          ? scheme.description
          : `Imported from ${typeof info.title === 'string' ? info.title : 'an OpenAPI document'} (${schemeName}, ${flowName})`;
      drafts.push({
        name: `${prefix}-${slug(schemeName)}-${grantType.replace(/_/g, '-')}`.slice(0, 100),
        description,
        grantType,
        tokenUrl: flow.tokenUrl,
        ...(typeof flow.authorizationUrl === 'string' ? { authorizationUrl: flow.authorizationUrl } : {}),
        ...(typeof flow.refreshUrl === 'string' ? { refreshUrl: flow.refreshUrl } : {}),
        scopes,
      });
    }
  }
  if (!drafts.length) throw invalid('document has no oauth2 security scheme with an authorizationCode, clientCredentials or password flow');
  return drafts;
}
