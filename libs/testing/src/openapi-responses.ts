import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

type Json = Record<string, unknown>;
interface DocumentResponse {
  description?: string;
  content?: Record<string, { schema?: Json }>;
}
interface OpenApiDocument {
  paths: Record<string, Record<string, { responses: Record<string, DocumentResponse> }>>;
  components?: { schemas?: Record<string, Json> };
}

/** What a test saw: a fetch Response's status, content type and body (text, parsed when JSON). */
export interface SeenResponse {
  method: string;
  /** The document's path template, e.g. `/admin/integrations/{id}`. */
  path: string;
  status: number;
  contentType: string | null;
  body: string;
}

/**
 * Checks real responses against an OpenAPI 3.1 document (its response schemas, with ajv's JSON Schema 2020-12), so
 * a test that drives the API fails as soon as an answer and the document disagree: an undocumented status, a media
 * type the document does not list, or a body its schema refuses.
 */
export class OpenApiResponseChecker {
  private readonly ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(private readonly document: OpenApiDocument) {
    // OpenAPI's own keywords inside schemas, which JSON Schema does not know.
    this.ajv.addVocabulary(['example', 'xml', 'discriminator', 'externalDocs']);
    (addFormats as unknown as (ajv: Ajv2020) => void)(this.ajv);
    // One schema holding every component, so `#/components/schemas/X` references resolve as they do in the document.
    const schemas = JSON.parse(JSON.stringify(document.components?.schemas ?? {}).replaceAll('"#/components/schemas/', '"openapi#/$defs/')) as Json;
    this.ajv.addSchema({ $id: 'openapi', $defs: schemas });
  }

  /** Throws, saying what differs, unless the response is one the document describes for that operation. */
  check(seen: SeenResponse): void {
    const where = `${seen.method.toUpperCase()} ${seen.path} → ${seen.status}`;
    const operation = this.document.paths[seen.path]?.[seen.method.toLowerCase()];
    if (!operation) throw new Error(`${where}: the document has no such operation`);
    const response = operation.responses[String(seen.status)] ?? operation.responses[`${String(seen.status)[0]}XX`] ?? operation.responses.default;
    if (!response) throw new Error(`${where}: the document lists only ${Object.keys(operation.responses).join(', ')}`);
    if (!response.content) {
      if (seen.body !== '') throw new Error(`${where}: the document says no body, the response has ${JSON.stringify(seen.body.slice(0, 200))}`);
      return;
    }
    const mediaType = (seen.contentType ?? '').split(';')[0].trim().toLowerCase();
    const content = response.content[mediaType] ?? response.content[`${mediaType.split('/')[0]}/*`] ?? response.content['*/*'];
    if (!content) throw new Error(`${where}: ${mediaType || 'no content type'} is not among the documented ${Object.keys(response.content).join(', ')}`);
    if (!content.schema || !mediaType.endsWith('json')) return;
    const validate = this.validator(seen.path, seen.method, seen.status, content.schema);
    let body: unknown;
    try {
      body = JSON.parse(seen.body);
    } catch {
      throw new Error(`${where}: the body is not JSON: ${JSON.stringify(seen.body.slice(0, 200))}`);
    }
    if (!validate(body)) {
      const problems = (validate.errors ?? []).map(
        (e) => `${e.instancePath || '(body)'} ${e.message}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`,
      );
      throw new Error(`${where}: the body does not match the document: ${problems.join('; ')}\n${seen.body.slice(0, 1000)}`);
    }
  }

  /** Throws unless `value` matches the document's component schema `name` (for answers no operation describes: unknown routes). */
  checkComponent(name: string, value: unknown): void {
    const validate = this.validator('component', name, 0, { $ref: `#/components/schemas/${name}` });
    if (!validate(value))
      throw new Error(
        `${JSON.stringify(value).slice(0, 300)} is not a ${name}: ${(validate.errors ?? []).map((e) => `${e.instancePath || '(body)'} ${e.message}`).join('; ')}`,
      );
  }

  /** Reads a fetch Response (consuming its body), checks it, and hands back the status and the parsed body. */
  async checkFetch<T = unknown>(method: string, path: string, response: Response): Promise<{ status: number; body: T; headers: Headers }> {
    const body = await response.text();
    this.check({ method, path, status: response.status, contentType: response.headers.get('content-type'), body });
    const parsed = body && /json/.test(response.headers.get('content-type') ?? '') ? JSON.parse(body) : body;
    return { status: response.status, body: parsed as T, headers: response.headers };
  }

  private validator(path: string, method: string, status: number, schema: Json): ValidateFunction {
    const key = `${method} ${path} ${status}`;
    let validate = this.compiled.get(key);
    if (!validate) {
      validate = this.ajv.compile(JSON.parse(JSON.stringify(schema).replaceAll('"#/components/schemas/', '"openapi#/$defs/')) as Json);
      this.compiled.set(key, validate);
    }
    return validate;
  }
}
