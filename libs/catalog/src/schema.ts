import type { ErrorObject } from 'ajv';
import { validate } from './generated/template-validator.js';
import type { CatalogProblem } from './problem.js';

type Validate = ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };

/** `/api/check/path` → `api.check.path`, `/variables/0/pattern` → `variables[0].pattern`. */
function fieldOf(instancePath: string): string {
  return instancePath
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((path, part) => (/^\d+$/.test(part) ? `${path}[${part}]` : path ? `${path}.${part}` : part), '');
}

function message(error: ErrorObject): { field: string; message: string } {
  const field = fieldOf(error.instancePath);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties':
      return {
        field: field ? `${field}.${String(params.additionalProperty)}` : String(params.additionalProperty),
        message: 'is not a field the catalog knows (an unknown quirk or a typo): the schema lists every setting a template may hold',
      };
    case 'required':
      return { field: field ? `${field}.${String(params.missingProperty)}` : String(params.missingProperty), message: 'is required' };
    case 'enum':
      return { field, message: `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}` };
    default:
      return { field, message: error.message ?? `fails ${error.keyword}` };
  }
}

/**
 * Schema problems of one parsed file; none means it has the shape of a ProviderTemplate. The validator is compiled
 * ahead of time from the JSON Schema (generated/template-validator.ts), so checking costs no compilation at start-up.
 */
export function schemaProblems(data: unknown, provider: string): CatalogProblem[] {
  const check = validate as unknown as Validate;
  if (check(data)) return [];
  return (check.errors ?? []).map((e) => ({ provider, ...message(e) }));
}
