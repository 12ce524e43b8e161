import { ApiProperty } from '@nestjs/swagger';
import { classDescription, JWKS_SCHEMA, propertyDescriptions } from '@tessera/contracts';
import { getMetadataStorage } from 'class-validator';
import { validationMetadatasToSchemas } from 'class-validator-jsonschema';
import { createRequire } from 'node:module';

export type Schema = Record<string, unknown>;
/** Where class-transformer keeps @Type() metadata (nested DTOs): the module its main entry loads, which it does not export. */
const { defaultMetadataStorage } = createRequire(import.meta.url)('class-transformer/cjs/storage.js') as { defaultMetadataStorage: never };
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Class = abstract new (...args: any[]) => object;
type Metadata = { propertyName: string; type: string; name?: string };
type Storage = { validationMetadatas: Map<Class, Metadata[]> };

/** Our own class-validator decorators (libs/contracts), in JSON Schema. */
const CUSTOM_DECORATORS: Record<string, Schema> = {
  isPermissionList: { type: 'array', maxItems: 100, items: { type: 'string', examples: ['*:orgs=read', 'acme:users=read'] } },
  isStringRecord: { type: 'object', additionalProperties: { type: 'string', maxLength: 4096 } },
  isTimestamp: { type: 'string', format: 'date-time' },
  isPublicJwks: JWKS_SCHEMA,
};

export const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });

interface ClassSchema {
  target: Class;
  schema: Schema;
}

let computed: Map<string, ClassSchema> | undefined;

/**
 * The JSON Schema of every class-validator class (the contracts' shapes), read from the decorators it is validated
 * with (class-validator-jsonschema) and the contracts' Doc/Nullable notes: descriptions, examples, `type: [..., "null"]`
 * for a nullable property that is still required. Computed once, when the first document is built.
 */
export function classSchemas(): Map<string, ClassSchema> {
  if (computed) return computed;
  const storage = getMetadataStorage() as unknown as Storage;
  const classes = new Map<string, Class>();
  for (const target of storage.validationMetadatas.keys()) classes.set(target.name, target);
  const raw = validationMetadatasToSchemas({
    classTransformerMetadataStorage: defaultMetadataStorage,
    refPointerPrefix: '#/components/schemas/',
    additionalConverters: CUSTOM_DECORATORS,
  }) as Record<string, Schema>;
  computed = new Map();
  for (const [name, schema] of Object.entries(raw)) {
    const target = classes.get(name);
    if (target) computed.set(name, { target, schema: documented(target, schema, storage) });
  }
  return computed;
}

/** The schema of one class; a class with no validated property (an empty answer) is an empty object. */
function schemaOf(target: Class): Schema {
  return classSchemas().get(target.name)?.schema ?? withDescription(target, { type: 'object', properties: {} });
}

function withDescription(target: Class, schema: Schema): Schema {
  const description = classDescription(target);
  return description ? { description, ...schema } : schema;
}

function documented(target: Class, schema: Schema, storage: Storage): Schema {
  const docs = propertyDescriptions(target);
  const chain = prototypeChain(target);
  const optional = new Set(
    chain
      .flatMap((c) => storage.validationMetadatas.get(c) ?? [])
      .filter((m) => m.name === 'isOptional')
      .map((m) => m.propertyName),
  );
  const rawProperties = (schema.properties ?? {}) as Record<string, Schema>;
  const properties: Record<string, Schema> = {};
  // Parents' properties first, in the order they are declared: the order a reader expects.
  for (const c of chain)
    for (const m of storage.validationMetadatas.get(c) ?? [])
      if (rawProperties[m.propertyName] && !properties[m.propertyName])
        properties[m.propertyName] = property(rawProperties[m.propertyName], docs.get(m.propertyName));
  // class-validator-jsonschema leaves a property with ValidateIf out of `required`; a Nullable one (ValidateIf
  // underneath) is required all the same: only its value may be null.
  const nullable = [...docs].filter(([p, doc]) => doc.nullable && !optional.has(p) && properties[p]).map(([p]) => p);
  const required = [...new Set([...((schema.required as string[] | undefined) ?? []), ...nullable])].sort(
    (a, b) => Object.keys(properties).indexOf(a) - Object.keys(properties).indexOf(b),
  );
  return withDescription(target, { type: 'object', properties, ...(required.length ? { required } : {}) });
}

function property(schema: Schema, doc: { description?: string; hints?: Schema; nullable?: boolean } | undefined): Schema {
  // class-validator's IsUrl: the JSON Schema name of that format is `uri`.
  let out = JSON.parse(JSON.stringify(schema).replaceAll('"format":"url"', '"format":"uri"')) as Schema;
  if (doc?.nullable) out = out.$ref ? { oneOf: [out, { type: 'null' }] } : { ...out, type: [out.type, 'null'].flat() };
  // A nullable choice (an optional select setting) may be null too: its enum says so, or null would fail it.
  if (doc?.nullable && Array.isArray(out.enum) && !out.enum.includes(null)) out = { ...out, enum: [...(out.enum as unknown[]), null] };
  // One nested object is described by its class (a bare reference); anything else carries its own description.
  if (out.$ref) return out;
  return { ...(doc?.description ? { description: doc.description } : {}), ...out, ...doc?.hints };
}

function prototypeChain(target: Class): Class[] {
  const chain: Class[] = [];
  for (let c: Class | null = target; c && (c as unknown) !== Function.prototype; c = Object.getPrototypeOf(c) as Class | null) chain.unshift(c);
  return chain;
}

let described = false;

/**
 * Gives @nestjs/swagger the request classes' schemas (above), so the document says exactly what the validation pipe
 * accepts (what the swagger CLI plugin's class-validator shim does at compile time; our SWC build has no such plugin).
 * Runs once per process, before the first document is built.
 */
export function describeValidatedClasses(): void {
  if (described) return;
  described = true;
  const storage = getMetadataStorage() as unknown as Storage;
  const schemas = classSchemas();
  for (const { target, schema } of schemas.values()) {
    const required = new Set((schema.required as string[] | undefined) ?? []);
    for (const [name, propertySchema] of Object.entries(schema.properties as Record<string, Schema>)) {
      // Only a class's own properties: inherited ones are described on the parent, which swagger walks.
      if (!ownValidated(storage, target, name)) continue;
      ApiProperty(propertyOptions(propertySchema, required.has(name), schemas) as never)(target.prototype, name);
    }
  }
}

function ownValidated(storage: Storage, target: Class, property: string): boolean {
  return (storage.validationMetadatas.get(target) ?? []).some((m) => m.propertyName === property);
}

function refName(schema: Schema | undefined): string | undefined {
  const pointer = schema?.$ref;
  return typeof pointer === 'string' ? pointer.split('/').pop() : undefined;
}

function propertyOptions(schema: Schema, required: boolean, schemas: Map<string, ClassSchema>): Schema {
  const nested = refName(schema);
  if (nested && schemas.has(nested)) return { required, type: () => schemas.get(nested)!.target };
  const itemRef = refName(schema.items as Schema | undefined);
  if (schema.type === 'array' && itemRef && schemas.has(itemRef))
    return { required, type: () => schemas.get(itemRef)!.target, isArray: true, ...(schema.description ? { description: schema.description } : {}) };
  return { required, ...schema };
}

/**
 * The schemas of what the gateway answers: each reply class and every class it holds, closed (every field it declares
 * and no other: `additionalProperties: false`), so an answer with a field its class lacks fails the end-to-end checks.
 */
export function answerSchemas(replies: Iterable<Class>): Record<string, Schema> {
  const out: Record<string, Schema> = {};
  const visit = (target: Class) => {
    if (out[target.name]) return;
    const schema = schemaOf(target);
    out[target.name] = { ...schema, additionalProperties: false };
    for (const name of JSON.stringify(schema).matchAll(/"#\/components\/schemas\/(\w+)"/g)) {
      const nested = classSchemas().get(name[1]);
      if (!nested) throw new Error(`${target.name} refers to ${name[1]}, which is no class with validators`);
      visit(nested.target);
    }
  };
  for (const reply of replies) visit(reply);
  return out;
}

/** A class's properties as query parameters (routes that read their query themselves rather than through a DTO). */
export function queryParameters(target: Class): Schema[] {
  const schema = schemaOf(target);
  const required = new Set((schema.required as string[] | undefined) ?? []);
  return Object.entries(schema.properties as Record<string, Schema>).map(([name, { description, ...propertySchema }]) => ({
    name,
    in: 'query',
    required: required.has(name),
    ...(description ? { description } : {}),
    schema: propertySchema,
  }));
}
