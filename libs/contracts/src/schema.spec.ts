import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, IsInt, IsString, validate, ValidationTypes } from 'class-validator';
import { describe, expect, it } from 'vitest';
import * as contracts from './index.js';
import { classDescription, Doc, IsTimestamp, Nullable, propertyDescriptions } from './schema.js';

type Metadata = { propertyName: string; type: string; each?: boolean };
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
const storage = getMetadataStorage() as unknown as { validationMetadatas: Map<Function, Metadata[]> };

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
const isValidatedClass = (value: unknown): value is Function => typeof value === 'function' && storage.validationMetadatas.has(value);
/** Every class contracts exports that carries validators: the shapes that cross a service boundary or the HTTP edge. */
const shapes = Object.entries(contracts as Record<string, unknown>).filter(
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  (entry): entry is [string, Function] => isValidatedClass(entry[1]),
);

/** A property's own metadata and its parents' (what the class is validated with). */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
function validated(target: Function): Map<string, Metadata[]> {
  const out = new Map<string, Metadata[]>();
  for (let c = target; c && c !== Function.prototype; c = Object.getPrototypeOf(c))
    for (const m of storage.validationMetadatas.get(c) ?? []) out.set(m.propertyName, [...(out.get(m.propertyName) ?? []), m]);
  return out;
}

describe('every shape says what it is', () => {
  it('finds the shapes', () => {
    expect(shapes.map(([name]) => name)).toEqual(expect.arrayContaining(['IntegrationView', 'CreateProviderRequest', 'RestError', 'TokenEndpointForm']));
  });

  it('describes every shape and every property (one nested object is described by its class)', () => {
    const missing: string[] = [];
    for (const [name, target] of shapes) {
      if (!classDescription(target)) missing.push(name);
      const docs = propertyDescriptions(target);
      for (const [property, metadata] of validated(target)) {
        const nestedObject = metadata.some((m) => m.type === ValidationTypes.NESTED_VALIDATION && !m.each);
        if (!nestedObject && !docs.get(property)?.description) missing.push(`${name}.${property}`);
      }
    }
    expect(missing).toEqual([]);
  });
});

describe('Nullable and IsTimestamp', () => {
  class Sample {
    @Doc('sample') @Nullable() @IsTimestamp() seenAt: string | null;
    @Doc('sample') @Nullable() @IsInt() count: number | null;
    @Doc('sample') @IsString() name: string;
  }
  const problems = async (body: object) => (await validate(plainToInstance(Sample, body))).map((e) => e.property);

  it('takes null, and validates anything else', async () => {
    expect(await problems({ seenAt: null, count: null, name: 'x' })).toEqual([]);
    expect(await problems({ seenAt: '2026-01-31T12:00:00.000Z', count: 3, name: 'x' })).toEqual([]);
    expect(await problems({ seenAt: 'yesterday', count: 'three', name: 'x' })).toEqual(['seenAt', 'count']);
    expect(await problems({ seenAt: '2026-01-31', count: 1, name: 'x' })).toEqual(['seenAt']);
  });

  it('records what the document needs, inherited docs included', () => {
    class Child extends Sample {
      @Doc('child') @IsString() extra: string;
    }
    const docs = propertyDescriptions(Child);
    expect(docs.get('seenAt')).toEqual({ description: 'sample', nullable: true });
    expect(docs.get('extra')).toEqual({ description: 'child' });
    expect(docs.get('name')).toEqual({ description: 'sample' });
  });
});
