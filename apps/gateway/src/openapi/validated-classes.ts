import { ApiProperty } from '@nestjs/swagger';
import { getMetadataStorage, ValidationTypes } from 'class-validator';
import { validationMetadatasToSchemas } from 'class-validator-jsonschema';
import { createRequire } from 'node:module';

type Schema = Record<string, unknown>;
/** Where class-transformer keeps @Type() metadata (nested DTOs): the module its main entry loads, which it does not export. */
const { defaultMetadataStorage } = createRequire(import.meta.url)('class-transformer/cjs/storage.js') as { defaultMetadataStorage: never };
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Class = new (...args: any[]) => object;
type Storage = { validationMetadatas: Map<Class, { propertyName: string; type: string }[]> };

/** Our own class-validator decorators (libs/contracts), in JSON Schema. */
const CUSTOM_DECORATORS: Record<string, Schema> = {
  isPermissionList: {
    type: 'array',
    maxItems: 100,
    items: { type: 'string', examples: ['*:orgs=read', 'acme:users=read'] },
    description: 'Permissions in the `<instance>:<resource>=<action>` grammar',
  },
  isStringRecord: { type: 'object', additionalProperties: { type: 'string', maxLength: 4096 } },
};

let described = false;

/**
 * Gives @nestjs/swagger the request classes' schemas from the class-validator decorators they are validated with, so
 * the document says exactly what the validation pipe accepts (what the swagger CLI plugin's class-validator shim does
 * at compile time; our SWC build has no such plugin). Runs once per process, before the first document is built.
 */
export function describeValidatedClasses(): void {
  if (described) return;
  described = true;
  const storage = getMetadataStorage() as unknown as Storage;
  const classes = new Map<string, Class>();
  for (const target of storage.validationMetadatas.keys()) classes.set(target.name, target);
  const schemas = validationMetadatasToSchemas({
    classTransformerMetadataStorage: defaultMetadataStorage,
    refPointerPrefix: '#/components/schemas/',
    additionalConverters: CUSTOM_DECORATORS,
  }) as Record<string, Schema>;
  for (const [name, schema] of Object.entries(schemas)) {
    const target = classes.get(name);
    if (!target) continue;
    // ValidateIf: required only when its condition holds, which a schema cannot say without the condition.
    const conditional = new Set(
      (storage.validationMetadatas.get(target) ?? []).filter((m) => m.type === ValidationTypes.CONDITIONAL_VALIDATION).map((m) => m.propertyName),
    );
    const required = new Set(((schema.required as string[] | undefined) ?? []).filter((p) => !conditional.has(p)));
    for (const [property, propertySchema] of Object.entries((schema.properties ?? {}) as Record<string, Schema>)) {
      // Only a class's own properties: inherited ones are described on the parent, which swagger walks.
      if (!Object.prototype.hasOwnProperty.call(target.prototype, property) && !ownValidated(storage, target, property)) continue;
      ApiProperty(propertyOptions(propertySchema, required.has(property), classes) as never)(target.prototype, property);
    }
  }
}

function ownValidated(storage: Storage, target: Class, property: string): boolean {
  return (storage.validationMetadatas.get(target) ?? []).some((m) => m.propertyName === property);
}

function refName(schema: Schema | undefined): string | undefined {
  const ref = schema?.$ref;
  return typeof ref === 'string' ? ref.split('/').pop() : undefined;
}

function propertyOptions(schema: Schema, required: boolean, classes: Map<string, Class>): Schema {
  const ref = refName(schema);
  if (ref && classes.has(ref)) return { required, type: () => classes.get(ref) };
  const itemRef = refName(schema.items as Schema | undefined);
  if (schema.type === 'array' && itemRef && classes.has(itemRef)) return { required, type: () => classes.get(itemRef), isArray: true };
  // class-validator's IsUrl: the JSON Schema name of that format is `uri`.
  const fixed = JSON.parse(JSON.stringify(schema).replaceAll('"format":"url"', '"format":"uri"')) as Schema;
  return { required, ...fixed };
}
