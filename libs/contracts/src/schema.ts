import { registerDecorator, ValidateIf, type ValidationOptions } from 'class-validator';

/** JSON Schema keywords a property's validators cannot say: examples, or the shape of free-form data. */
export type SchemaHints = Record<string, unknown>;

export interface PropertyDoc {
  description?: string;
  hints?: SchemaHints;
  /** Always present, possibly null (`string | null`): see Nullable. */
  nullable?: boolean;
}

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
type Class = Function;

const classDescriptions = new Map<Class, string>();
const propertyDocs = new Map<Class, Map<string, PropertyDoc>>();
/** Every property name some shape declares, and those some shape declares a secret (see Secret). */
const declaredFields = new Set<string>();
const secretFields = new Set<string>();

function note(owner: Class, property: string, doc: PropertyDoc): void {
  declaredFields.add(property);
  const own = propertyDocs.get(owner) ?? new Map<string, PropertyDoc>();
  own.set(property, { ...own.get(property), ...doc });
  propertyDocs.set(owner, own);
}

/**
 * What a shape or one of its properties means, said once beside its validators: the OpenAPI document reads it (a
 * property's `description`, a class's), and so does whoever reads the class. Costs nothing at validation time.
 * `hints` adds what the validators cannot say (`examples`, the shape of a free-form object).
 */
export function Doc(description: string, hints?: SchemaHints) {
  return (target: object, property?: string | symbol): void => {
    if (property === undefined) classDescriptions.set(target as Class, description);
    else note((target as { constructor: Class }).constructor, String(property), { description, ...(hints ? { hints } : {}) });
  };
}

/**
 * A property that is always there but may be null (`lastSeenAt: string | null`): its other validators apply when it is
 * not null, and the document says `type: [..., "null"]` while keeping it required.
 */
export function Nullable() {
  return (target: object, property: string): void => {
    ValidateIf((_object: object, value: unknown) => value !== null)(target, property);
    note(target.constructor, property, { nullable: true });
  };
}

/**
 * A property that holds a secret (a password, a client secret, a token, a hash that authenticates): whatever records
 * changes (the audit log) shows only that it changed. Marked once here, beside the property, so the rule of what is
 * redacted follows the shapes rather than a guess from field names.
 */
export function Secret() {
  return (_target: object, property: string): void => {
    secretFields.add(property);
    declaredFields.add(property);
  };
}

/**
 * Whether a field of that name holds a secret: true when any shape marks it Secret, false when shapes declare it and
 * none marks it, undefined for a name no shape declares (the caller decides how careful to be with it).
 */
export function isSecretField(name: string): boolean | undefined {
  if (secretFields.has(name)) return true;
  return declaredFields.has(name) ? false : undefined;
}

/** A class's description (Doc on the class). */
export function classDescription(target: Class): string | undefined {
  return classDescriptions.get(target);
}

/** Every property's Doc, inherited ones included (a subclass's own Doc wins). */
export function propertyDescriptions(target: Class): Map<string, PropertyDoc> {
  const chain: Class[] = [];
  for (let c: Class | null = target; c && c !== Function.prototype; c = Object.getPrototypeOf(c) as Class | null) chain.unshift(c);
  const out = new Map<string, PropertyDoc>();
  for (const c of chain) for (const [property, doc] of propertyDocs.get(c) ?? []) out.set(property, { ...out.get(property), ...doc });
  return out;
}

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** An instant as the API writes them: ISO 8601 date and time (`2026-01-31T12:00:00.000Z`); `date-time` in the document. */
export function IsTimestamp(options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isTimestamp',
      target: object.constructor,
      propertyName,
      options: { message: `${propertyName} must be an ISO 8601 date and time`, ...options },
      validator: { validate: (value: unknown) => typeof value === 'string' && INSTANT.test(value) && !Number.isNaN(Date.parse(value)) },
    });
}
